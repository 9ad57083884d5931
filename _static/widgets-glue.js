/* Loaded on pages with saved widget state, between require.js and embed-amd.js
 * (see nb_ipywidgets_js in _config.yml); never on other pages.
 *
 * 1. The widget manager asks RequireJS for the modules @jupyter-widgets/base,
 *    controls and html-manager. Map them to the vendored embed-amd bundle (the
 *    data-vendor attribute, relative to this script), so nothing is fetched from
 *    a CDN and the icon fonts are found beside the bundle.
 * 2. The explorers' picture (an Image) carries its alt text as its tooltip.
 *    Make that tooltip the <img>'s alt attribute too, and cope with a widget
 *    that has a tooltip but no description, for which @jupyter-widgets/base 2.0
 *    throws (it reads description.length) and shows its error box instead.
 * 3. The widget controls typeset their labels with MathJax 2's
 *    MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); the book loads
 *    MathJax 3, which has no Hub. Give it one that calls MathJax 3's typesetPromise.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var vendor = script && script.getAttribute("data-vendor");
  if (vendor && window.requirejs) {
    // vendor is the bundle, <package>/dist/embed-amd.js. Each module's webpack
    // public path (where its fonts are looked for) is the folder of the URL that
    // RequireJS resolves for it, so every one must resolve into <package>/dist/.
    var bundle = new URL(vendor, script.src).href.replace(/\.js$/, "");
    var pkg = bundle.replace(/\/dist\/embed-amd$/, "");
    window.requirejs.config({
      paths: {
        "@jupyter-widgets/base": bundle,
        "@jupyter-widgets/controls": bundle,
        "@jupyter-widgets/html-manager": pkg, // so .../dist/libembed-amd lands in dist/
      },
    });
  }

  function typeset(element) {
    var mathjax = window.MathJax;
    var ready = mathjax.startup && mathjax.startup.promise ? mathjax.startup.promise : Promise.resolve();
    return ready.then(function () {
      return mathjax.typesetPromise ? mathjax.typesetPromise(element ? [element] : undefined) : null;
    });
  }

  function addHub() {
    var mathjax = window.MathJax;
    if (!mathjax || mathjax.Hub) return;
    mathjax.Hub = {
      Queue: function () {
        Array.prototype.forEach.call(arguments, function (job) {
          if (Array.isArray(job) && job[0] === "Typeset") typeset(job[2]);
          else if (typeof job === "function") job();
        });
      },
    };
  }

  function patchTooltip(base) {
    var proto = base && base.DOMWidgetView && base.DOMWidgetView.prototype;
    if (!proto || proto.updateTooltip.bookPatched) return;
    var original = proto.updateTooltip;
    proto.updateTooltip = function () {
      var tooltip = this.model.get("tooltip");
      if (this.model.get("description") !== undefined) original.apply(this, arguments);
      else if (tooltip) this.el.setAttribute("title", tooltip);
      else this.el.removeAttribute("title");
      if (this.el.tagName === "IMG") {
        if (tooltip) this.el.setAttribute("alt", tooltip);
        else this.el.removeAttribute("alt");
      }
    };
    proto.updateTooltip.bookPatched = true;
  }

  // MathJax 3 replaces its configuration object when it loads (deferred, before
  // DOMContentLoaded); embed-amd.js has defined the widget modules by then; the
  // widgets render on "load", after both.
  addHub();
  document.addEventListener("DOMContentLoaded", function () {
    addHub();
    if (window.requirejs) window.requirejs(["@jupyter-widgets/base"], patchTooltip);
  });
})();
