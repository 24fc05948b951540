/* 领导驾驶舱: draws each figure's chart with the locally served ECharts from the JSON the page carries; the table
   under each chart holds the same numbers (for reading aloud and for print). A click on a bar, point or slice opens
   the list behind it. */
(function () {
  "use strict";
  var source = document.getElementById("cockpit-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = data[el.getAttribute("data-chart")];
    if (!spec || !spec.categories.length) { el.hidden = true; return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var option;
    if (spec.type === "pie") {
      option = {
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}\n{c}" },
          data: spec.categories.map(function (c, i) { return { name: c, value: spec.series[0].data[i] }; }) }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 32, bottom: 28 },
        xAxis: { type: "category", data: spec.categories },
        yAxis: { type: "value" },
        series: spec.series.map(function (s) {
          return { name: s.name, type: spec.type, data: s.data, connectNulls: false };
        })
      };
    }
    option.animation = false;
    chart.setOption(option);
    chart.on("click", function (params) {
      var link = spec.links[params.dataIndex];
      if (link) { window.location.href = link; }
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
