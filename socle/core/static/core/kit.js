// The UI kit's only script, loaded with `defer` (no inline script: the pages will be served
// under a Content-Security-Policy). It moves the focus to the first error summary of the page,
// so that keyboard and screen-reader users land on the list of what to fix.
(function () {
  "use strict";
  var summary = document.querySelector("[data-kit-focus]");
  if (summary) {
    summary.focus();
  }
})();
