// After a failed submit, move focus to the error summary so that it is read first (WCAG 3.3.1).
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
