// Keep every form of an appraisal page on the latest version of the appraisal: partial saves
// (htmx) bump it, and a form still holding the old number would be refused as stale.
(function () {
  function currentVersion() {
    var el = document.getElementById("appraisal-version");
    return el ? el.value : null;
  }
  document.addEventListener("submit", function (event) {
    var version = currentVersion();
    var input = event.target.querySelector("input[name=version]");
    if (version && input) { input.value = version; }
  }, true);
  document.addEventListener("htmx:configRequest", function (event) {
    var version = currentVersion();
    var params = event.detail.parameters;
    // htmx 2 passes a FormData proxy, on which `"version" in params` is always false.
    if (version && params && params.version !== undefined) { params.version = version; }
  });
})();
