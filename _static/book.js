/* The book's own script, added to every page by Jupyter Book (every .js in _static/). */
(function () {
  "use strict";
  var root = document.documentElement;

  // Print in the light theme: a dark page wastes ink and prints poorly.
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

  // A scroll cue. Math wider than its box (display math, and inline math on a
  // phone) scrolls sideways; mark the edge that has more beyond it
  // (book-scrolls-left/right), which book.css fades out. Checked once MathJax has
  // typeset the page, on every scroll of such a box, and when the window resizes.
  var SCROLLERS = 'div.math mjx-container, span.math';
  // A box that scrolls is also reachable with the keyboard (Tab, then the arrow keys;
  // axe: scrollable-region-focusable), as MathJax's menu, which the book does not
  // load, used to make every formula.
  // Measured first, marked after: a box measured after another was marked would make
  // the browser lay the whole page out again, once per formula.
  function measure(box) {
    return {box: box, more: box.scrollWidth - box.clientWidth, left: box.scrollLeft};
  }
  function mark(m) {
    m.box.classList.toggle("book-scrolls-left", m.more > 1 && m.left > 1);
    m.box.classList.toggle("book-scrolls-right", m.more > 1 && m.left < m.more - 1);
    if (m.more > 1 && !m.box.hasAttribute("tabindex")) m.box.setAttribute("tabindex", "0");
  }
  function markAll() {
    Array.prototype.map.call(document.querySelectorAll(SCROLLERS), measure).forEach(mark);
  }
  document.addEventListener("scroll", function (event) {
    var box = event.target;
    if (box instanceof Element && box.matches(SCROLLERS)) mark(measure(box));
  }, true);
  var resized = null;
  window.addEventListener("resize", function () {
    clearTimeout(resized);
    resized = setTimeout(markAll, 100);
  });

  // docutils writes the bibliography as role="list" holding role="doc-biblioentry"
  // entries, a role ARIA has deprecated, so the list has no list items (axe:
  // aria-required-children, aria-deprecated-role). Each entry is a list item.
  function fixCitationRoles() {
    document.querySelectorAll('.citation-list[role="list"] > [role="doc-biblioentry"]').forEach(function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fixCitationRoles);
  } else {
    fixCitationRoles();
  }
  // MathJax (loaded with defer) has set up its startup promise by the load event.
  function afterMath() {
    var mathjax = window.MathJax;
    var typeset = mathjax && mathjax.startup && mathjax.startup.promise;
    (typeset || Promise.resolve()).then(markAll);
  }
  if (document.readyState === "complete") {
    afterMath();
  } else {
    window.addEventListener("load", afterMath);
  }
})();
