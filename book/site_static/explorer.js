// Static explorers of the course site: when a slider step changes, show that step's readouts
// and text alternative (precomputed by book/build_site.py) beside the figure.
(function () {
  function wire(box) {
    var plot = box.querySelector(".plotly-graph-div");
    var dataNode = box.querySelector("script.ntx-explorer-data");
    if (!plot || !dataNode || !plot.on) { return false; }
    var data = JSON.parse(dataNode.textContent);
    var readouts = box.querySelector(".ntx-explorer-readouts");
    var summary = box.querySelector(".ntx-explorer-summary");
    plot.on("plotly_sliderchange", function (event) {
      var i = event.slider.active;
      if (event.step && typeof event.step._index === "number") { i = event.step._index; }
      var rows = data.readouts[i] || [];
      readouts.replaceChildren.apply(readouts, rows.map(function (row) {
        var div = document.createElement("div");
        div.className = "ntx-readout";
        var b = document.createElement("b");
        b.textContent = row[0];
        div.appendChild(b);
        div.appendChild(document.createTextNode(": " + row[1]));
        return div;
      }));
      summary.textContent = data.summaries[i] || "";
      box.dataset.step = String(i);
    });
    box.dataset.ready = "true";
    return true;
  }
  function wireAll() {
    document.querySelectorAll(".ntx-explorer").forEach(function (box) {
      if (box.dataset.ready !== "true") { wire(box); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wireAll);
  } else {
    wireAll();
  }
})();
