/* Draws every <canvas data-chart="id"> from the JSON in <script id="id">:
   {type, labels, series: [{label, values}], stacked, cumulative}. Each chart on the platform
   has a table with the same figures next to it; the canvas carries a text alternative. */
(function () {
  "use strict";
  var palette = ["#0b4f8a", "#b34700", "#17663a", "#6b3fa0", "#8a1c1c", "#5a6573"];
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var line = spec.type === "line";
    new Chart(canvas, {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series, i) {
          var colour = palette[i % palette.length];
          return {
            label: series.label,
            data: series.values,
            borderColor: colour,
            backgroundColor: line ? colour + "26" : colour,
            fill: line && spec.series.length === 1,
            stepped: line && spec.stepped,
          };
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? "y" : "x",
        scales: {
          x: { stacked: !!spec.stacked },
          y: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { display: spec.series.length > 1 } },
      },
    });
  }
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
