/*
 * Survey results as bar charts (ECharts, served from portal/vendor/echarts.min.js).
 *
 * The figures come from <script type="application/json" id="survey-chart-data"> (not executed,
 * so the Content-Security-Policy allows it); every figure is also in the table under each
 * chart, so without JavaScript nothing is lost. Containers are [data-survey-chart="<id>"],
 * hidden until drawn, and hidden from assistive technology (the table says the same).
 */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("survey-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    data.charts.forEach(function (spec) {
      var element = document.querySelector('[data-survey-chart="' + spec.id + '"]');
      if (!element) {
        return;
      }
      element.hidden = false;
      element.style.height = Math.max(160, 48 * spec.labels.length + 60) + "px";
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        grid: { left: 8, right: 40, top: 16, bottom: 24, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", minInterval: 1, name: data.labels.count },
        yAxis: { type: "category", data: spec.labels, inverse: true },
        series: [
          {
            type: "bar",
            name: data.labels.count,
            data: spec.values,
            itemStyle: { color: "#1f5fa8" },
            label: { show: true, position: "right" },
          },
        ],
      });
      window.addEventListener("resize", function () {
        chart.resize();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
