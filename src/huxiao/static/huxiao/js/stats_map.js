/*
 * 护校安园 — the statistics page's map (patrols/stats.html): the posts coloured by the day's
 * status (ok: police in every window begun so far; warn: only guards or volunteers; bad: a
 * window passed with nobody; off: not a school day or nothing begun yet) and the pilot
 * schools' 护学通道 as polygons.
 *
 * The element [data-stats-map] names the id of a <script type="application/json"> (Django's
 * json_script) holding {"points": [{"lat","lon","name","sub","url","status","corridor"}]}.
 * Drawing uses window.HuxiaoMap (huxiao/js/map.js, loaded before this file); popups are built
 * from text nodes there, so names are never HTML. No inline script or style (CSP).
 */
(function () {
  "use strict";

  // Problems first: a red post is drawn last so that it lies on top of its neighbours.
  var ORDER = { off: 0, ok: 1, warn: 2, bad: 3 };

  function payload(el) {
    var source = document.getElementById(el.dataset.statsMap || "");
    if (!source) {
      return null;
    }
    try {
      return JSON.parse(source.textContent || "null");
    } catch (e) {
      return null;
    }
  }

  function draw(el) {
    var M = window.HuxiaoMap;
    if (!M || el.hxMap) {
      return;
    }
    var data = payload(el) || {};
    var points = (data.points || []).slice().sort(function (a, b) {
      return (ORDER[a.status] || 0) - (ORDER[b.status] || 0);
    });
    var map = M.create(el, { zoom: 13 });
    var layers = [];
    points.forEach(function (p) {
      if (p.corridor) {
        layers.push(M.corridor(p.corridor).addTo(map));
      }
    });
    points.forEach(function (p) {
      layers.push(M.statusMarker(p, { radius: 7 }).addTo(map));
    });
    M.fit(map, layers);
    el.dataset.drawn = String(points.length);
  }

  function setUp() {
    document.querySelectorAll("[data-stats-map]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
