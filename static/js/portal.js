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
    if (version && "version" in event.detail.parameters) { event.detail.parameters.version = version; }
  });
})();
