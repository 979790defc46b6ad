/*
 * Site health dashboard charts (ECharts, served from portal/vendor/echarts.min.js).
 *
 * The figures come from <script type="application/json" id="health-chart-data"> (not executed,
 * so the Content-Security-Policy allows it); every figure is also in a table on the page, so
 * without JavaScript nothing is lost. Chart containers are [data-health-chart="scores|trend"],
 * hidden until drawn.
 */
(function () {
  "use strict";

  var PASSED = "#1b7f3b";
  var FAILED = "#b3261e";

  function passMarkLine(labels, passMark, axis, position) {
    var mark = {};
    mark[axis] = passMark;
    return {
      silent: true,
      symbol: "none",
      lineStyle: { type: "dashed", color: FAILED },
      label: { formatter: labels.passMark + " " + passMark, position: position },
      data: [mark],
    };
  }

  function scoresOption(spec, labels) {
    var items = spec.values.map(function (value, index) {
      return { value: value, itemStyle: { color: spec.passed[index] ? PASSED : FAILED } };
    });
    return {
      grid: { left: 8, right: 32, top: 28, bottom: 32, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: {
        type: "value",
        min: 0,
        max: 100,
        name: labels.score,
        nameLocation: "middle",
        nameGap: 24,
      },
      yAxis: { type: "category", data: spec.names, inverse: true },
      series: [
        {
          type: "bar",
          name: labels.score,
          data: items,
          label: { show: true, position: "right" },
          markLine: passMarkLine(labels, spec.passMark, "xAxis", "start"),
        },
      ],
    };
  }

  function trendOption(spec, labels) {
    var series = spec.series.map(function (item, index) {
      var line = { type: "line", name: item.name, data: item.values, connectNulls: false };
      if (index === 0) {
        line.markLine = passMarkLine(labels, spec.passMark, "yAxis", "insideEndTop");
      }
      return line;
    });
    return {
      grid: { left: 8, right: 24, top: 48, bottom: 24, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      xAxis: { type: "category", data: spec.days, boundaryGap: false },
      yAxis: { type: "value", min: 0, max: 100, name: labels.score },
      series: series,
    };
  }

  function heightFor(kind, spec) {
    if (kind === "scores") {
      return Math.max(200, spec.names.length * 28 + 80);
    }
    return 320;
  }

  function draw() {
    var source = document.getElementById("health-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var labels = data.labels || {};
    var charts = [];
    document.querySelectorAll("[data-health-chart]").forEach(function (element) {
      var kind = element.getAttribute("data-health-chart");
      var spec = data[kind];
      if (!spec || (spec.series && spec.series.length === 0) || (spec.names && spec.names.length === 0)) {
        return;
      }
      element.hidden = false;
      element.style.height = heightFor(kind, spec) + "px";
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(kind === "scores" ? scoresOption(spec, labels) : trendOption(spec, labels));
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
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
