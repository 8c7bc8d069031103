// Keyboard and screen-reader help shared by every page.
(function () {
  // A table wider than the screen scrolls inside its wrapper: the wrapper then takes keyboard
  // focus (arrow keys scroll it) and is named after the table's section heading.
  function scrollableTables(root) {
    (root || document).querySelectorAll(".table-responsive").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (!wrap.hasAttribute("tabindex")) {
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          if (!wrap.hasAttribute("aria-label")) {
            var heading = wrap.closest("section, .card-body, main");
            heading = heading && heading.querySelector("h1, h2, h3, caption");
            wrap.setAttribute("aria-label", heading ? heading.textContent.trim() : document.title);
          }
          wrap.dataset.scrollRegion = "1";
        }
      } else if (wrap.dataset.scrollRegion) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
        delete wrap.dataset.scrollRegion;
      }
    });
  }
  // After a failed submit the error summary takes focus, so that it is read out first.
  // Each summary is focused once: when the page loads, or when htmx swaps a form in.
  function focusErrors() {
    var summary = document.querySelector("[data-error-summary]:not([data-announced])");
    if (summary) { summary.setAttribute("data-announced", ""); summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { scrollableTables(); focusErrors(); });
  window.addEventListener("resize", function () { scrollableTables(); });
  document.addEventListener("htmx:afterSettle", function (event) {
    scrollableTables();
    focusErrors();
  });
})();
