// Dashboard charts: reads the figures the server embedded as JSON (#dashboard-data) and draws them with the
// vendored ECharts. The same figures are in the tables below each chart (screen readers, no JavaScript).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("dashboard-data");
  if (!el || typeof echarts === "undefined") return;
  var data = JSON.parse(el.textContent);
  var en = document.documentElement.lang === "en";
  var red = "#a81c1c", blue = "#1d4f91", green = "#1e7b34";
  var charts = [];

  function bar(id, rows, key, color) {
    var node = document.getElementById(id);
    if (!node || !rows.length) return;
    var c = echarts.init(node, null, { renderer: "svg" });
    c.setOption({
      aria: { enabled: true },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r[key]; }) },
      series: [{ type: "bar", data: rows.map(function (r) { return r.count; }), itemStyle: { color: color } }]
    });
    node.dataset.rendered = "1";
    charts.push(c);
  }

  bar("chart-departments", data.usage.by_department, "department", red);
  bar("chart-scenarios", data.usage.by_scenario, "scenario", blue);

  var fbNode = document.getElementById("chart-feedback");
  if (fbNode && data.feedback.total) {
    var c = echarts.init(fbNode, null, { renderer: "svg" });
    c.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["40%", "70%"], data: [
        { name: en ? "Helpful" : "有帮助", value: data.feedback.up, itemStyle: { color: green } },
        { name: en ? "Not helpful" : "没帮助", value: data.feedback.down, itemStyle: { color: red } }
      ] }]
    });
    fbNode.dataset.rendered = "1";
    charts.push(c);
  }
  window.addEventListener("resize", function () { charts.forEach(function (x) { x.resize(); }); });
});
