/*
 * 护校安园 — the statistics page's map (patrols/stats.html): the posts coloured by the day's
 * status (ok: police 到岗 in every window begun so far; warn: only guards or volunteers; bad: a
 * window passed with nobody; off: not a school day or nothing begun yet), the pilot schools'
 * 护学通道 as polygons, and under them the jurisdiction: each police station's area (the
 * convex hull of its schools, computed by the server: patrols/geo.py) labelled with the
 * station's name, and the schools, labelled once the map is zoomed in.
 *
 * The jurisdiction is what makes the map readable without tiles (an intranet with no tile
 * server): it is drawn from the page's own data, and a tile layer that fails (or is not
 * configured) never stops it.
 *
 * The element [data-stats-map] names the id of a <script type="application/json"> (Django's
 * json_script) holding {"points": [{"lat","lon","name","sub","url","status","corridor"}],
 * "areas": [{"name","schools","ring": [[lon, lat], …]}], "schools": [{"lat","lon","name"}]}.
 * Drawing uses window.HuxiaoMap (huxiao/js/map.js, loaded before this file); popups and
 * tooltips are built from text, so names are never HTML. No inline script or style (CSP):
 * the colours below are SVG presentation attributes set by Leaflet, not style attributes.
 */
(function () {
  "use strict";

  var L = window.L;
  // Problems first: a red post is drawn last so that it lies on top of its neighbours.
  var ORDER = { off: 0, ok: 1, warn: 2, bad: 3 };
  // Posts: 9 px circles (white ring from huxiao.css) inside a dark halo, legible on a plain
  // background, on light tiles and on satellite imagery alike.
  var POST_RADIUS = 9;
  var HALO = {
    radius: POST_RADIUS + 2,
    color: "#1b2a3a",
    opacity: 0.85,
    weight: 1.5,
    fill: false,
    interactive: false,
    className: "hx-mk-halo",
  };
  var AREA = {
    color: "#2c5fa8",
    weight: 2,
    opacity: 0.9,
    dashArray: "6 4",
    fillColor: "#2c5fa8",
    fillOpacity: 0.08,
    interactive: false,
    className: "hx-area",
  };
  var SCHOOL = {
    radius: 6,
    color: "#ffffff",
    weight: 2,
    fillColor: "#2c5fa8",
    fillOpacity: 1,
    className: "hx-school hx-mk-info",
  };
  // School names are always on screen from this zoom (a few streets wide); below it they
  // would cover each other, and show on hover.
  var SCHOOL_LABEL_ZOOM = 15;

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

  // A station's name sits in the middle of its area when the area is wide enough on screen
  // for it, else just above the area (a label in the middle of a small area would hide the
  // school and the posts inside it). Over a whole city the names would cover each other: the
  // stations with more schools are labelled first, and a name that would overlap one already
  // placed waits for the user to zoom in. Placed again after every zoom.
  var LABEL_ROOM = [140, 60];

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function drawAreas(M, map, areas) {
    var shapes = [];
    var labels = [];
    areas.forEach(function (a) {
      var ring = M.ring(a.ring);
      if (ring.length < 3) {
        return;
      }
      var shape = L.polygon(ring, AREA).addTo(map);
      shapes.push(shape);
      if (a.name) {
        var top = ring.reduce(function (best, ll) {
          return ll[0] > best[0] ? ll : best;
        }, ring[0]);
        labels.push({
          shape: shape,
          top: top,
          weight: Number(a.schools) || 0,
          tooltip: L.tooltip({
            permanent: true,
            interactive: false,
            className: "hx-area-label",
          }).setContent(String(a.name)),
        });
      }
    });
    labels.sort(function (a, b) {
      return b.weight - a.weight;
    });
    function place() {
      var taken = [];
      labels.forEach(function (x) {
        var bounds = x.shape.getBounds();
        var size = map
          .latLngToLayerPoint(bounds.getSouthEast())
          .subtract(map.latLngToLayerPoint(bounds.getNorthWest()));
        var roomy = size.x >= LABEL_ROOM[0] && size.y >= LABEL_ROOM[1];
        x.tooltip.options.direction = roomy ? "center" : "top";
        x.tooltip.options.offset = roomy ? [0, 0] : [0, -4];
        if (!map.hasLayer(x.tooltip)) {
          x.tooltip.setLatLng(roomy ? x.shape.getCenter() : x.top).addTo(map);
        } else {
          x.tooltip.setLatLng(roomy ? x.shape.getCenter() : x.top);
        }
        var box = x.tooltip.getElement().getBoundingClientRect();
        if (
          taken.some(function (other) {
            return overlaps(box, other);
          })
        ) {
          x.tooltip.remove();
        } else {
          taken.push(box);
        }
      });
    }
    map.on("zoomend", place);
    return { shapes: shapes, place: place };
  }

  function drawSchools(map, schools) {
    var drawn = schools.map(function (s) {
      return {
        name: String(s.name || ""),
        marker: L.circleMarker([Number(s.lat), Number(s.lon)], SCHOOL).addTo(map),
      };
    });
    var labelled = null;
    function label() {
      var show = map.getZoom() >= SCHOOL_LABEL_ZOOM;
      if (show === labelled) {
        return;
      }
      labelled = show;
      drawn.forEach(function (s) {
        if (!s.name) {
          return;
        }
        s.marker.unbindTooltip();
        s.marker.bindTooltip(s.name, {
          permanent: show,
          direction: "right",
          offset: [6, 0],
          className: "hx-school-label",
        });
      });
    }
    map.on("zoomend", label);
    label();
    return drawn.map(function (s) {
      return s.marker;
    });
  }

  function draw(el) {
    var M = window.HuxiaoMap;
    if (!M || !L || el.hxMap) {
      return;
    }
    var data = payload(el) || {};
    var points = (data.points || []).slice().sort(function (a, b) {
      return (ORDER[a.status] || 0) - (ORDER[b.status] || 0);
    });
    var map = M.create(el, { zoom: 13 });
    // Bottom to top: station areas, corridors, schools, posts.
    var areas = drawAreas(M, map, data.areas || []);
    var layers = [];
    points.forEach(function (p) {
      if (p.corridor) {
        layers.push(M.corridor(p.corridor).addTo(map));
      }
    });
    var schools = drawSchools(map, data.schools || []);
    points.forEach(function (p) {
      L.circleMarker([Number(p.lat), Number(p.lon)], HALO).addTo(map);
      layers.push(M.statusMarker(p, { radius: POST_RADIUS }).addTo(map));
    });
    M.fit(map, areas.shapes.concat(schools, layers));
    areas.place();
    el.dataset.drawn = String(points.length);
    el.dataset.areas = String(areas.shapes.length);
    el.dataset.schools = String(schools.length);
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
