// Hotspot dashboard charts: reads the topics the server embedded as JSON (#hotspots-data) and draws the heat
// ranking and the weekly trend of the top five with the vendored ECharts. The same figures are in the table.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("hotspots-data");
  if (!el || typeof echarts === "undefined") return;
  var topics = JSON.parse(el.textContent).topics || [];
  var charts = [];
  var heatNode = document.getElementById("chart-heat");
  if (heatNode && topics.length) {
    var c = echarts.init(heatNode, null, { renderer: "svg" });
    c.setOption({
      aria: { enabled: true },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: topics.map(function (t) { return t.rank + ". " + t.label; }) },
      series: [{ type: "bar", data: topics.map(function (t) {
        return { value: t.heat, itemStyle: { color: t.burst ? "#a81c1c" : "#1d4f91" } };
      }) }]
    });
    heatNode.dataset.rendered = "1";
    charts.push(c);
  }
  var trendNode = document.getElementById("chart-trend");
  var top5 = topics.slice(0, 5);
  var weeks = {};
  top5.forEach(function (t) { (t.weekly || []).forEach(function (w) { weeks[w[0]] = 1; }); });
  var axis = Object.keys(weeks).sort();
  if (trendNode && axis.length) {
    var t = echarts.init(trendNode, null, { renderer: "svg" });
    t.setOption({
      aria: { enabled: true },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      xAxis: { type: "category", data: axis },
      yAxis: { type: "value", minInterval: 1 },
      series: top5.map(function (tp) {
        var counts = {};
        (tp.weekly || []).forEach(function (w) { counts[w[0]] = w[1]; });
        return { name: tp.rank + ". " + tp.label, type: "line", data: axis.map(function (a) { return counts[a] || 0; }) };
      })
    });
    trendNode.dataset.rendered = "1";
    charts.push(t);
  }
  window.addEventListener("resize", function () { charts.forEach(function (x) { x.resize(); }); });
});
