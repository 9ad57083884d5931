// Static explorers: swap pre-rendered frames as the reader moves a control. No kernel, no network.
(function () {
  "use strict";
  function setUp(root) {
    var data = JSON.parse(root.querySelector("script.static-explorer-data").textContent);
    var inputs = data.controls.map(function (c) { return root.querySelector('[data-key="' + c.key + '"]'); });
    var sizes = data.controls.map(function (c) { return c.labels.length; });
    var picture = root.querySelector("img.static-explorer-picture");
    var readout = root.querySelector("output.static-explorer-readout");
    var urls = data.frames.map(function (b) { return "data:image/png;base64," + b; });
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
      picture.src = urls[index];
      readout.innerHTML = data.readouts[index];
      root.dataset.frame = String(index);
    }
    inputs.forEach(function (input) {
      input.addEventListener("input", show);
      input.addEventListener("change", show);
    });
  }
  function setUpAll() { document.querySelectorAll(".static-explorer").forEach(setUp); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
