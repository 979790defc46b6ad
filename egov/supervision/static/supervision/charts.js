/*
 * E-supervision dashboard charts (ECharts, served from portal/vendor/echarts.min.js).
 *
 * The figures come from <script type="application/json" id="supervision-chart-data"> (data,
 * not executed, so the Content-Security-Policy allows it); every figure is also in a table
 * on the page, so without JavaScript nothing is lost. Containers are
 * [data-supervision-chart="trend|bodies|scores|ontime|ratings"], hidden until drawn. A click on a
 * figure opens the cases behind it (the link of the same figure in the table).
 */
(function () {
  "use strict";

  var COLOURS = ["#8a6d00", "#d4a000", "#b3261e"];

  function kindSeries(kinds, series, type, stack) {
    return kinds.map(function (name, index) {
      var item = { type: type, name: name, data: series[index], itemStyle: { color: COLOURS[index] } };
      if (stack) {
        item.stack = "kinds";
      }
      return item;
    });
  }

  var builders = {
    trend: function (data) {
      return {
        grid: { left: 8, right: 24, top: 40, bottom: 24, containLabel: true },
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        xAxis: { type: "category", data: data.trend.months },
        yAxis: { type: "value", name: data.labels.signals, minInterval: 1 },
        series: kindSeries(data.kinds, data.trend.series, "line", false),
      };
    },
    bodies: function (data) {
      return {
        grid: { left: 8, right: 24, top: 40, bottom: 24, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.bodies.names, inverse: true },
        series: kindSeries(data.kinds, data.bodies.series, "bar", true),
      };
    },
    ontime: function (data) {
      return {
        grid: { left: 8, right: 24, top: 40, bottom: 24, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.ontime.months },
        yAxis: { type: "value", min: 0, max: 100, name: data.labels.rate },
        series: [
          { type: "line", name: data.labels.rate, data: data.ontime.rates, connectNulls: false, itemStyle: { color: "#1f5f99" } },
        ],
      };
    },
    ratings: function (data) {
      return {
        grid: { left: 8, right: 32, top: 16, bottom: 24, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.ratings.labels, inverse: true },
        series: [
          { type: "bar", name: data.labels.cases, data: data.ratings.counts, label: { show: true, position: "right" }, itemStyle: { color: "#1f5f99" } },
        ],
      };
    },
    scores: function (data) {
      return {
        grid: { left: 8, right: 32, top: 16, bottom: 24, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", min: 0, max: 100, name: data.labels.score },
        yAxis: { type: "category", data: data.scores.names, inverse: true },
        series: [
          { type: "bar", name: data.labels.score, data: data.scores.values, label: { show: true, position: "right" } },
        ],
      };
    },
  };

  function rows(kind, data) {
    if (kind === "bodies") {
      return data.bodies.names.length;
    }
    if (kind === "scores") {
      return data.scores.names.length;
    }
    if (kind === "ratings") {
      return data.ratings.labels.length;
    }
    return 0;
  }

  // A click on a bar or point follows the link of the same figure in the chart's table (the
  // cases behind it), so the drill-down is the same with and without JavaScript.
  var TABLES = { trend: "trend", bodies: "bodies", ontime: "on-time", ratings: "ratings", scores: "ranking" };

  function drillDown(kind, params) {
    var table = document.getElementById(TABLES[kind]);
    if (!table || !table.tBodies.length) {
      return;
    }
    var row = table.tBodies[0].rows[params.dataIndex];
    if (!row) {
      return;
    }
    var link = null;
    if (kind === "trend" || kind === "bodies") {
      var cell = row.cells[1 + params.seriesIndex];
      link = cell ? cell.querySelector("a") : null;
    } else {
      link = row.querySelector('a[href*="/staff/supervision/cases/"]');
    }
    if (link) {
      window.location.href = link.href;
    }
  }

  function draw() {
    var source = document.getElementById("supervision-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-supervision-chart]").forEach(function (element) {
      var kind = element.getAttribute("data-supervision-chart");
      var build = builders[kind];
      if (!build) {
        return;
      }
      element.hidden = false;
      var count = rows(kind, data);
      if (count) {
        element.style.height = Math.max(200, count * 28 + 80) + "px";
      }
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(build(data));
      chart.on("click", function (params) {
        drillDown(kind, params);
      });
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
