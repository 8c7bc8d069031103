// A select marked data-autosubmit submits its form when it changes (the language switch).
// An event listener rather than an inline handler: the content security policy forbids those.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
});
