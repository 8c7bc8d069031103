// The appraisal page's autosave and its version bookkeeping.
//
// Each self-assessment form (data-autosave) saves itself shortly after the person stops
// typing, and at once when a field is left. Saves of one page run one at a time, each with
// the version the previous answer gave, so they never refuse each other as stale; the server
// also takes a save whose fields nobody else changed since the page last saw them (base_*).
// A form says "Tersimpan" only when the server answered for exactly the values it shows; a
// failed save keeps the typed values, says so, and offers a retry; leaving the page with
// unsaved input asks first. Without JavaScript every form still posts normally.
(function () {
  "use strict";
  var TYPING_PAUSE_MS = 700;
  var RETRY_MS = [2000, 5000, 10000];
  var queue = Promise.resolve();
  var forms = [];

  function versionInput() { return document.getElementById("appraisal-version"); }
  function currentVersion() { var el = versionInput(); return el ? el.value : null; }
  function setVersion(version) {
    if (version === undefined || version === null) { return; }
    var el = versionInput();
    if (el) { el.value = String(version); }
    document.querySelectorAll("input[data-version], input[name=version]").forEach(function (input) {
      input.value = String(version);
    });
  }
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function text(key) {
    var el = document.getElementById("autosave-texts");
    return (el && el.dataset[key]) || key;
  }

  // The editable fields of a form and what they hold now.
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "hidden" && el.type !== "submit" && el.type !== "file";
    });
  }
  function snapshot(form) {
    var values = {};
    fields(form).forEach(function (el) { values[el.name] = el.value; });
    return JSON.stringify(values);
  }

  function showStatus(form, state, message, withRetry) {
    var status = form.querySelector("[data-save-status]");
    form.dataset.saveState = state;
    if (!status) { return; }
    status.textContent = "";
    var span = document.createElement("span");
    span.className = { saved: "text-success", saving: "text-muted", dirty: "text-muted" }[state] || "text-danger";
    span.textContent = message;
    status.appendChild(span);
    if (withRetry) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 ms-1 align-baseline";
      button.textContent = text("retry");
      button.addEventListener("click", function () { enqueue(form, true); });
      status.appendChild(document.createTextNode(" "));
      status.appendChild(button);
    }
  }

  function showErrors(form, errors) {
    fields(form).forEach(function (el) {
      var key = el.name.split("-").pop();
      var box = form.querySelector("[data-error-for='" + key + "']");
      var messages = errors && errors[key];
      el.classList.toggle("is-invalid", !!messages);
      if (messages) { el.setAttribute("aria-invalid", "true"); } else { el.removeAttribute("aria-invalid"); }
      if (box) { box.textContent = messages ? messages.join(" ") : ""; }
    });
  }

  function setBase(form, saved) {
    Object.keys(saved || {}).forEach(function (key) {
      var input = form.querySelector("input[name='base_" + key + "']");
      if (input) { input.value = saved[key] === null ? "" : String(saved[key]); }
    });
  }

  function isDirty(form) { return snapshot(form) !== form.dataset.savedSnapshot; }

  function enqueue(form, now) {
    clearTimeout(form._timer);
    if (form._queued) { return queue; }
    form._queued = true;
    queue = queue.then(function () {
      form._queued = false;
      return save(form);
    });
    return queue;
  }

  function schedule(form, delay) {
    clearTimeout(form._timer);
    form._timer = setTimeout(function () { enqueue(form); }, delay);
  }

  function save(form) {
    if (!isDirty(form)) {
      if (form.dataset.saveState !== "error") { showStatus(form, "saved", text("saved")); }
      return Promise.resolve();
    }
    var sent = snapshot(form);
    var body = new FormData(form);
    var version = currentVersion();
    Array.prototype.forEach.call(form.querySelectorAll("input[data-version]"), function (input) {
      body.set(input.name, version);
    });
    showStatus(form, "saving", text("saving"));
    form._saving = true;
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      return response.json().then(
        function (data) { return { status: response.status, data: data }; },
        function () { return { status: response.status, data: null }; }
      );
    }).then(function (answer) {
      form._saving = false;
      var data = answer.data;
      if (data && data.version) { setVersion(data.version); }
      if (answer.status === 200 && data && data.ok) {
        form._failures = 0;
        setBase(form, data.saved);
        form.dataset.savedSnapshot = sent;
        showErrors(form, null);
        if (isDirty(form)) {
          showStatus(form, "dirty", text("dirty"));
          schedule(form, TYPING_PAUSE_MS);
        } else {
          showStatus(form, "saved", data.message || text("saved"));
        }
        return;
      }
      if (data && data.errors && answer.status === 400) {
        showErrors(form, data.errors);
        showStatus(form, "error", text("invalid"));
        return;
      }
      if (data && data.errors && data.errors.__all__) {
        showStatus(form, "error", data.errors.__all__.join(" "), true);
        return;
      }
      failed(form);
    }, function () {
      form._saving = false;
      failed(form);
    });
  }

  // The network or the server failed: the value stays typed and unsaved; try again later.
  function failed(form) {
    var attempt = form._failures = (form._failures || 0) + 1;
    showStatus(form, "failed", text("failed"), true);
    if (attempt <= RETRY_MS.length) {
      form._timer = setTimeout(function () { enqueue(form); }, RETRY_MS[attempt - 1]);
    }
  }

  function flushAll() {
    forms.forEach(function (form) { if (isDirty(form)) { enqueue(form, true); } });
    return queue;
  }

  function unsaved() {
    return forms.some(function (form) { return isDirty(form) || form._saving; });
  }

  function setUp(form) {
    forms.push(form);
    // A form shown again after a refused save (without JavaScript) holds unsaved values.
    form.dataset.savedSnapshot = form.hasAttribute("data-unsaved") ? "" : snapshot(form);
    form.addEventListener("input", function () {
      showStatus(form, "dirty", text("dirty"));
      schedule(form, TYPING_PAUSE_MS);
    });
    form.addEventListener("change", function () { enqueue(form, true); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      enqueue(form, true);
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(setUp);

  // Other forms of the page (send the self-assessment, approve, score) wait for pending
  // saves, then post with the latest version.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-autosave")) { return; }
    if (forms.length && (unsaved() || form._flushing)) {
      event.preventDefault();
      if (form._flushing) { return; }
      form._flushing = true;
      var submitter = event.submitter;
      flushAll().then(function () {
        form._flushing = false;
        if (unsaved()) { return; }  // a save failed: its form says so and offers a retry
        setVersion(currentVersion());
        if (submitter && submitter.name) {
          var extra = document.createElement("input");
          extra.type = "hidden"; extra.name = submitter.name; extra.value = submitter.value;
          form.appendChild(extra);
        }
        form.submit();
      });
      return;
    }
    var input = form.querySelector("input[name=version]");
    var version = currentVersion();
    if (version && input) { input.value = version; }
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A form that failed on the server shows its errors: take the reader to the summary.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
