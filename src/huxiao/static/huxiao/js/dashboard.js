/*
 * 护校安园 — 统计看板 (reports/dashboard.html) and the parts the big screen reuses.
 *
 * Data reach the page as JSON elements written by Django's json_script (no inline script):
 *   [data-chart-json] holds the JSON of a chart element [data-chart=breakdown|trend] (an
 *     attribute, not a json_script element: htmx drops script elements from fragments):
 *     breakdown {"figures": [{code, label, unit}], "rows": [{org, name, cells: [{value,
 *               display, url}]}]};  trend {"months": [...], "series": [{code, label, unit,
 *               values, urls}]}. Both cards arrive as htmx fragments after the page loads.
 *   [data-dash-map=ID]  names the JSON {"points": [{lat, lon, name, url, status, sub,
 *                        failing, checkins}], "counts": {...}} of a map element.
 * Elements [data-chart=breakdown|trend] get an ECharts chart (canvas; tooltips drawn as rich
 * text on the canvas, since HTML tooltips would write style attributes that the CSP blocks).
 * Clicking a bar or a point opens the records behind that number.
 *
 * window.HuxiaoDash: json(id), breakdown(el, data, dark), trend(el, data, dark),
 *   map(el, payload) → {update(payload)}, resizeAll().
 */
(function () {
  "use strict";

  var charts = [];
  // The palette of the project (navy, red, amber, green, …) so the charts read like the pages.
  var COLORS = ["#2c5fa8", "#c8102e", "#e0a100", "#1e8e4f", "#7b3fb8", "#0f8b8d", "#5b6675"];

  function json(id) {
    var el = document.getElementById(id || "");
    if (!el) {
      return null;
    }
    try {
      return JSON.parse(el.textContent || "null");
    } catch (e) {
      return null;
    }
  }

  function chart(el, dark) {
    var E = window.echarts;
    if (!E || !el) {
      return null;
    }
    var existing = E.getInstanceByDom(el);
    if (existing) {
      return existing;
    }
    var instance = E.init(el, dark ? "dark" : null, { renderer: "canvas" });
    charts.push(instance);
    return instance;
  }

  function base(dark) {
    return {
      color: COLORS,
      backgroundColor: "transparent",
      textStyle: { fontSize: dark ? 16 : 12 },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      legend: { type: "scroll", top: 0, textStyle: { fontSize: dark ? 16 : 12 } },
      grid: { left: 8, right: 16, top: dark ? 44 : 36, bottom: 8, containLabel: true },
    };
  }

  function open(url) {
    if (url) {
      window.location.href = url;
    }
  }

  // People and person-times (人, 人次) are larger numbers than schools and hazards (所, 项):
  // they get the right-hand axis so the small counts stay readable.
  var RIGHT_UNITS = { 人: true, 人次: true };

  function breakdown(el, data, dark) {
    var c = chart(el, dark);
    if (!c || !data) {
      return c;
    }
    var figures = data.figures || [];
    // The chart leaves out the number of schools (the table has it) and children with nothing
    // to show (a police unit without schools); the table below lists every child.
    var shown = figures
      .map(function (f, i) {
        return i;
      })
      .filter(function (i) {
        return figures[i].code !== "schools.schools";
      });
    var rows = (data.rows || []).filter(function (r) {
      return shown.some(function (i) {
        return r.cells[i] && r.cells[i].value;
      });
    });
    var axes = { 0: false, 1: false };
    shown.forEach(function (i) {
      axes[RIGHT_UNITS[figures[i].unit] ? 1 : 0] = true;
    });
    var option = base(dark);
    option.xAxis = {
      type: "category",
      data: rows.map(function (r) {
        return r.name;
      }),
      axisLabel: { interval: 0, rotate: rows.length > 5 ? 30 : 0, fontSize: dark ? 15 : 11 },
    };
    option.yAxis = [
      { type: "value", minInterval: 1, show: axes[0], splitLine: { show: axes[0] } },
      { type: "value", minInterval: 1, show: axes[1], splitLine: { show: !axes[0] } },
    ];
    option.series = shown.map(function (i) {
      var f = figures[i];
      return {
        name: f.label,
        type: "bar",
        yAxisIndex: RIGHT_UNITS[f.unit] ? 1 : 0,
        data: rows.map(function (r) {
          var cell = r.cells[i];
          return cell && cell.value !== null ? cell.value : 0;
        }),
      };
    });
    c.setOption(option, true);
    c.off("click");
    c.on("click", function (p) {
      var row = rows[p.dataIndex];
      var cell = row && row.cells[shown[p.seriesIndex]];
      open(cell && cell.url);
    });
    el.dataset.drawn = String(rows.length);
    return c;
  }

  function trend(el, data, dark) {
    var c = chart(el, dark);
    if (!c || !data) {
      return c;
    }
    var series = data.series || [];
    var option = base(dark);
    // As in the breakdown: person-times (a thousand check-ins a month) on the right-hand axis,
    // so the hazards and inspections (a few a month) do not lie flat on the bottom.
    var axes = { 0: false, 1: false };
    series.forEach(function (s) {
      axes[RIGHT_UNITS[s.unit] ? 1 : 0] = true;
    });
    option.xAxis = { type: "category", data: data.months || [], boundaryGap: false };
    option.yAxis = [
      { type: "value", minInterval: 1, show: axes[0], splitLine: { show: axes[0] } },
      { type: "value", minInterval: 1, show: axes[1], splitLine: { show: !axes[0] } },
    ];
    option.series = series.map(function (s) {
      return {
        name: s.label,
        type: "line",
        smooth: true,
        symbolSize: 7,
        yAxisIndex: RIGHT_UNITS[s.unit] ? 1 : 0,
        data: s.values,
      };
    });
    c.setOption(option, true);
    c.off("click");
    c.on("click", function (p) {
      var s = series[p.seriesIndex];
      open(s && s.urls[p.dataIndex]);
    });
    el.dataset.drawn = String((data.months || []).length);
    return c;
  }

  // ---- the map of schools ----------------------------------------------------------------

  // Problems last, so a red school lies on top of its green neighbours.
  var ORDER = { ok: 0, bad: 1 };

  function map(el, payload, options) {
    var M = window.HuxiaoMap;
    var L = window.L;
    if (!M || !L || !el) {
      return null;
    }
    options = options || {};
    var leaflet = M.create(el, { zoom: 12 });
    // Quarter zoom steps: a jurisdiction's schools fill the panel instead of a third of it.
    leaflet.options.zoomSnap = 0.25;
    var layer = L.featureGroup().addTo(leaflet);
    var fitted = false;

    function update(data) {
      var points = ((data && data.points) || []).slice().sort(function (a, b) {
        return (ORDER[a.status] || 0) - (ORDER[b.status] || 0);
      });
      layer.clearLayers();
      points.forEach(function (p) {
        var point = {
          lat: p.lat,
          lon: p.lon,
          name: p.name,
          url: p.url,
          status: p.status,
          sub: p.sub,
        };
        if (p.checkins) {
          // The live state: someone checked in at the school's 护学岗 today.
          L.circleMarker([Number(p.lat), Number(p.lon)], {
            radius: (options.radius || 7) + 5,
            className: "hx-mk-live",
            weight: 3,
            interactive: false,
          }).addTo(layer);
        }
        M.statusMarker(point, { radius: options.radius || 7 }).addTo(layer);
      });
      if (!fitted && points.length) {
        leaflet.invalidateSize(); // the panel's size once the page is laid out
        M.fit(leaflet, [layer]);
        fitted = true;
      }
      el.dataset.drawn = String(points.length);
    }

    update(payload);
    return { map: leaflet, update: update };
  }

  function resizeAll() {
    charts.forEach(function (c) {
      c.resize();
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(resizeAll, 120);
  });

  window.HuxiaoDash = {
    json: json,
    breakdown: breakdown,
    trend: trend,
    map: map,
    resizeAll: resizeAll,
  };

  function attribute(el) {
    try {
      return JSON.parse(el.dataset.chartJson || "null");
    } catch (e) {
      return null;
    }
  }

  // The dashboard's charts: each [data-chart] element carries its JSON (data-chart-json); the
  // breakdown and trend cards arrive as htmx fragments after the page, so look again then.
  function drawCharts(scope) {
    (scope || document).querySelectorAll("[data-chart][data-chart-json]").forEach(function (el) {
      if (el.dataset.drawn !== undefined) {
        return;
      }
      var draw = el.dataset.chart === "trend" ? trend : breakdown;
      draw(el, attribute(el), false);
    });
  }

  function setUp() {
    if (document.querySelector("[data-bigscreen]")) {
      return; // bigscreen.js draws its page (dark, live)
    }
    drawCharts(document);
    document.querySelectorAll("[data-dash-map]").forEach(function (el) {
      map(el, json(el.dataset.dashMap));
    });
    document.body.addEventListener("htmx:afterSettle", function () {
      drawCharts(document);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
