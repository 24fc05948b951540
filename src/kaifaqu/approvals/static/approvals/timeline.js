// The project's timeline (ECharts, served locally): one bar per item from its start to its decision (or today),
// coloured red when it used more working days than its limit. Data comes from the page's json_script element.
(function () {
  "use strict";
  var el = document.getElementById("project-timeline");
  var data = document.getElementById("timeline-data");
  if (!el || !data || typeof echarts === "undefined") { return; }
  var bars = JSON.parse(data.textContent).bars;
  if (!bars.length) { return; }
  var day = 86400000;
  var names = bars.map(function (b) { return b.stage + " · " + b.name; });
  var chart = echarts.init(el);
  chart.setOption({
    grid: { left: 8, right: 16, top: 8, bottom: 24, containLabel: true },
    tooltip: {
      formatter: function (p) {
        var b = bars[p.dataIndex];
        return b.name + "<br>" + b.start + " 至 " + b.end + "<br>已用 " + b.used + " / 时限 " + b.limit + " 个工作日";
      }
    },
    xAxis: { type: "time" },
    yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 180, overflow: "truncate" } },
    series: [
      { type: "bar", stack: "t", silent: true, itemStyle: { color: "transparent" },
        data: bars.map(function (b) { return Date.parse(b.start); }) },
      { type: "custom", renderItem: function (params, api) {
          var b = bars[params.dataIndex];
          var start = api.coord([Date.parse(b.start), params.dataIndex]);
          var end = api.coord([Date.parse(b.end) + day, params.dataIndex]);
          var h = api.size([0, 1])[1] * 0.6;
          return { type: "rect", shape: { x: start[0], y: start[1] - h / 2, width: Math.max(end[0] - start[0], 2), height: h },
                   style: { fill: b.over ? "#dc3545" : "#0d6efd" } };
        }, encode: { x: [0, 1], y: 2 },
        data: bars.map(function (b, i) { return [Date.parse(b.start), Date.parse(b.end), i]; }) }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
