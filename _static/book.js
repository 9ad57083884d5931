/* The book's own script, added to every page by Jupyter Book (every .js in _static/).
 * Print in the light theme: a dark page wastes ink and prints poorly. */
(function () {
  "use strict";
  var root = document.documentElement;
  window.addEventListener("beforeprint", function () {
    if (root.dataset.theme !== "dark") return;
    root.dataset.themeBeforePrint = "dark";
    root.dataset.theme = "light";
  });
  window.addEventListener("afterprint", function () {
    if (root.dataset.themeBeforePrint !== "dark") return;
    root.dataset.theme = "dark";
    delete root.dataset.themeBeforePrint;
  });
})();
