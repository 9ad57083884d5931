// Static explorers: swap pre-rendered frames as the reader moves a control. No kernel, no network
// beyond the site: each frame is a file of the site (data.frames), the starting one inline in the page.
// An explorer's frames are fetched into the browser's cache when it comes within a screen or two of
// the viewport, a few at a time, so a swap only sets the picture's source and decodes a cached file;
// a frame the reader asks for before it arrived is fetched at once, ahead of the rest.
(function () {
  "use strict";
  var AHEAD = "1500px 0px";  // how near the viewport an explorer starts fetching its frames
  var AT_ONCE = 4;           // frames fetched at the same time, so a reader's own request is not queued behind all
  function setUp(root) {
    var data = JSON.parse(root.querySelector("script.static-explorer-data").textContent);
    var inputs = data.controls.map(function (c) { return root.querySelector('[data-key="' + c.key + '"]'); });
    var sizes = data.controls.map(function (c) { return c.labels.length; });
    var picture = root.querySelector("img.static-explorer-picture");
    var readout = root.querySelector("output.static-explorer-readout");
    var urls = data.frames.slice();
    urls[Number(root.dataset.frame)] = picture.src;  // the starting frame is inline
    var asked = urls.map(function (url) { return url.lastIndexOf("data:", 0) === 0; });
    function prefetch() {
      var next = 0;
      function more() {
        while (next < urls.length && asked[next]) { next += 1; }
        if (next >= urls.length) { return; }
        asked[next] = true;
        fetch(urls[next]).then(function (response) { return response.arrayBuffer(); }).then(more, more);
      }
      for (var i = 0; i < AT_ONCE; i += 1) { more(); }
    }
    function show() {
      var index = 0;
      inputs.forEach(function (input, i) {
        var position = Number(input.value);
        index = index * sizes[i] + position;
        var value = input.parentElement.querySelector("output.static-explorer-value");
        var label = data.controls[i].labels[position];
        if (value) { value.textContent = label; }
        // A screen reader says the value the reader sees, not the grid position.
        if (input.type === "range") { input.setAttribute("aria-valuetext", label); }
      });
      asked[index] = true;
      picture.src = urls[index];
      readout.innerHTML = data.readouts[index];
      root.dataset.frame = String(index);
    }
    inputs.forEach(function (input) {
      input.addEventListener("input", show);
      input.addEventListener("change", show);
    });
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          prefetch();
        }
      }, {rootMargin: AHEAD});
      observer.observe(root);
    } else {
      prefetch();
    }
  }
  function setUpAll() { document.querySelectorAll(".static-explorer").forEach(setUp); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
