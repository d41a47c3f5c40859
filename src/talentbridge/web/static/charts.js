// Draws every element carrying a plotly figure in data-plotly-figure (JSON).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Plotly === "undefined") {
      return;
    }
    var charts = document.querySelectorAll("[data-plotly-figure]");
    Array.prototype.forEach.call(charts, function (el) {
      var figure = JSON.parse(el.getAttribute("data-plotly-figure"));
      Plotly.newPlot(el, figure.data, figure.layout, {
        responsive: true,
        displaylogo: false,
      });
    });
  });
})();
