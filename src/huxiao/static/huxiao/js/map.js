/*
 * 护校安园 — shared Leaflet helpers (Leaflet 1.9.4, vendor/leaflet/). Loaded from 'self'
 * after leaflet.js; no inline script, every style through classes in huxiao.css.
 *
 * window.HuxiaoMap:
 *   setUp()                    set up the [data-hx-map] elements not yet drawn (content loaded
 *                              after the page: the alarm console's panel).
 *   create(el, options)        a map in `el` with the tiles named by its data-tile-url (one
 *                              URL template, or several joined by "|", drawn in order; empty:
 *                              no tiles — a plain background, for the offline demo; a tile
 *                              that fails to load turns the plain background on under the
 *                              rest), always with a metric scale. options: center [lat, lon],
 *                              zoom.
 *   data(el, name)             JSON from a data attribute (data-points → data(el, "points")).
 *   ring(corridor)             a stored ring [[lon, lat], …] as Leaflet [[lat, lon], …].
 *   statusMarker(p, options)   a circle marker coloured by p.status (class hx-mk-<status>:
 *                              ok, warn, bad, off, info, pilot), its popup p.name / p.sub /
 *                              p.url built from text nodes (names are never HTML).
 *   corridor(ring, options)    the 护学通道 polygon (class hx-corridor).
 *   fit(map, layers, fallback) fit the view to the layers, or centre on fallback.
 *   ringEditor(map, input)     click-to-draw a ring kept as JSON [[lon, lat], …] in `input`:
 *                              returns {add(latlng), undo(), clear(), points()}.
 *
 * Elements with data-hx-map are set up on DOMContentLoaded:
 *   data-hx-map="points"  data-points='[{"lat","lon","name","url","status","sub","corridor"}]'
 *   data-hx-map="post"    data-post='{"lat","lon","radius","corridor","name"}'
 *   data-hx-map="editor"  data-post as above (may be empty) and data-center='[lat, lon]'; the
 *                         inputs it drives are named by ids in data-lat, data-lon,
 *                         data-radius and data-corridor; buttons [data-corridor-undo] and
 *                         [data-corridor-clear] and radios [name=map-click] (position|corridor)
 *                         inside the same [data-map-editor] wrapper.
 * A map inside a collapsed element is re-measured when it is shown (shown.bs.collapse).
 * A [data-print] button prints the page (the post's QR sign).
 */
(function () {
  "use strict";

  // A [data-print] button prints the page: the post's QR sign (print CSS shows only the sign).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });

  var L = window.L;
  if (!L) {
    return;
  }
  L.Icon.Default.imagePath = (function () {
    // Leaflet guesses the images' folder from its CSS; say it plainly (vendor/leaflet/images/).
    var script = document.querySelector("script[src*='vendor/leaflet/leaflet.js']");
    return script ? script.src.replace(/leaflet\.js.*$/, "images/") : undefined;
  })();

  var DEFAULT_CENTER = [26.58, 101.72]; // 攀枝花, the demo city
  var DEFAULT_ZOOM = 16;

  function data(el, name) {
    var raw = el.dataset[name];
    if (!raw) {
      return null;
    }
    try {
      return JSON.parse(raw);
    } catch (e) {
      return null;
    }
  }

  function create(el, options) {
    options = options || {};
    var tiles = (el.dataset.tileUrl || "").split("|").filter(Boolean);
    var map = L.map(el, {
      center: options.center || DEFAULT_CENTER,
      zoom: options.zoom || DEFAULT_ZOOM,
      maxZoom: 19,
      minZoom: 3,
      scrollWheelZoom: false,
      attributionControl: tiles.length > 0,
    });
    if (tiles.length) {
      tiles.forEach(function (url) {
        // Tiles are a backdrop only: a tile server that cannot be reached (an intranet) or a
        // template Leaflet refuses must never stop what the page draws over them.
        try {
          L.tileLayer(url, {
            maxZoom: 19,
            subdomains: el.dataset.tileSubdomains || "01234567",
            attribution: el.dataset.tileAttribution || "",
          })
            .on("tileerror", function () {
              el.classList.add("hx-map-plain");
            })
            .addTo(map);
        } catch (e) {
          el.classList.add("hx-map-plain");
        }
      });
    } else {
      el.classList.add("hx-map-plain");
    }
    L.control.scale({ imperial: false }).addTo(map);
    el.hxMap = map;
    return map;
  }

  function ring(corridor) {
    if (!Array.isArray(corridor)) {
      return [];
    }
    return corridor
      .filter(function (p) {
        return Array.isArray(p) && p.length >= 2;
      })
      .map(function (p) {
        return [Number(p[1]), Number(p[0])];
      });
  }

  function popup(p) {
    var box = document.createElement("div");
    box.className = "hx-map-popup";
    var title = document.createElement(p.url ? "a" : "strong");
    title.textContent = p.name || "";
    if (p.url) {
      title.href = p.url;
    }
    box.appendChild(title);
    if (p.sub) {
      var sub = document.createElement("div");
      sub.className = "hx-map-popup-sub";
      sub.textContent = p.sub;
      box.appendChild(sub);
    }
    return box;
  }

  function statusMarker(p, options) {
    options = options || {};
    var marker = L.circleMarker([Number(p.lat), Number(p.lon)], {
      radius: options.radius || 8,
      className: "hx-mk hx-mk-" + (p.status || "info"),
      weight: 2,
    });
    if (p.name) {
      marker.bindPopup(popup(p));
      marker.bindTooltip(p.name, { direction: "top", offset: [0, -6] });
    }
    return marker;
  }

  function corridor(points, options) {
    options = options || {};
    return L.polygon(ring(points), {
      className: "hx-corridor" + (options.className ? " " + options.className : ""),
      weight: 2,
    });
  }

  function fit(map, layers, fallback) {
    var group = L.featureGroup(layers.filter(Boolean));
    var bounds = layers.length ? group.getBounds() : null;
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds.pad(0.15), { maxZoom: 17 });
    } else if (fallback) {
      map.setView(fallback, DEFAULT_ZOOM);
    }
  }

  function ringEditor(map, input, options) {
    options = options || {};
    var points = ring(safeParse(input.value));
    var shape = L.polygon(points, { className: "hx-corridor hx-corridor-edit", weight: 2 });
    var vertices = L.layerGroup();
    shape.addTo(map);
    vertices.addTo(map);

    function sync() {
      shape.setLatLngs(points);
      vertices.clearLayers();
      points.forEach(function (latlng, n) {
        L.circleMarker(latlng, {
          radius: 4,
          className: "hx-vertex" + (n === 0 ? " hx-vertex-first" : ""),
          weight: 2,
        }).addTo(vertices);
      });
      input.value = points.length
        ? JSON.stringify(
            points.map(function (ll) {
              return [round(ll[1]), round(ll[0])];
            })
          )
        : "";
      if (options.onChange) {
        options.onChange(points.length);
      }
    }

    sync();
    return {
      add: function (latlng) {
        points.push([latlng.lat, latlng.lng]);
        sync();
      },
      undo: function () {
        points.pop();
        sync();
      },
      clear: function () {
        points = [];
        sync();
      },
      points: function () {
        return points.slice();
      },
      layer: shape,
    };
  }

  function safeParse(value) {
    try {
      return JSON.parse(value || "null");
    } catch (e) {
      return null;
    }
  }

  function round(x) {
    return Math.round(x * 1e6) / 1e6;
  }

  // ---- the maps the pages declare ------------------------------------------------------------

  function setUpPoints(el) {
    var points = data(el, "points") || [];
    var map = create(el, { center: data(el, "center") || DEFAULT_CENTER, zoom: 13 });
    var layers = [];
    points.forEach(function (p) {
      if (p.corridor) {
        layers.push(corridor(p.corridor).addTo(map));
      }
      layers.push(statusMarker(p).addTo(map));
    });
    fit(map, layers, data(el, "center") || DEFAULT_CENTER);
  }

  function setUpPost(el) {
    var post = data(el, "post");
    if (!post) {
      return;
    }
    var at = [Number(post.lat), Number(post.lon)];
    var map = create(el, { center: at });
    var layers = [L.marker(at, { title: post.name || "" }).addTo(map)];
    if (post.radius) {
      layers.push(L.circle(at, { radius: Number(post.radius), className: "hx-radius" }).addTo(map));
    }
    if (post.corridor) {
      layers.push(corridor(post.corridor).addTo(map));
    }
    fit(map, layers, at);
  }

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function setUpEditor(el) {
    var wrapper = el.closest("[data-map-editor]") || document;
    var lat = byId(el.dataset.lat);
    var lon = byId(el.dataset.lon);
    var radius = byId(el.dataset.radius);
    var corridorInput = byId(el.dataset.corridor);
    var post = data(el, "post");
    var start =
      post && post.lat && post.lon
        ? [Number(post.lat), Number(post.lon)]
        : data(el, "center") || DEFAULT_CENTER;
    var map = create(el, { center: start });
    var marker = null;
    var circle = null;

    function position() {
      var a = lat && parseFloat(lat.value);
      var b = lon && parseFloat(lon.value);
      return isFinite(a) && isFinite(b) ? [a, b] : null;
    }

    function showPosition() {
      var at = position();
      if (!at) {
        return;
      }
      var r = radius ? parseInt(radius.value, 10) : 0;
      if (!marker) {
        marker = L.marker(at, { draggable: true }).addTo(map);
        marker.on("dragend", function () {
          setPosition(marker.getLatLng());
        });
        circle = L.circle(at, { radius: r > 0 ? r : 100, className: "hx-radius" }).addTo(map);
      } else {
        marker.setLatLng(at);
        circle.setLatLng(at);
        if (r > 0) {
          circle.setRadius(r);
        }
      }
    }

    function setPosition(latlng) {
      if (lat && lon) {
        lat.value = round(latlng.lat).toFixed(6);
        lon.value = round(latlng.lng).toFixed(6);
        showPosition();
      }
    }

    var count = wrapper.querySelector("[data-corridor-count]");
    var editor = corridorInput
      ? ringEditor(map, corridorInput, {
          onChange: function (n) {
            if (count) {
              count.textContent = String(n);
            }
          },
        })
      : null;

    function mode() {
      var checked = wrapper.querySelector("input[name=map-click]:checked");
      return checked ? checked.value : "position";
    }

    map.on("click", function (event) {
      if (mode() === "corridor" && editor) {
        editor.add(event.latlng);
      } else {
        setPosition(event.latlng);
      }
    });
    [lat, lon, radius].forEach(function (input) {
      if (input) {
        input.addEventListener("change", showPosition);
      }
    });
    var undo = wrapper.querySelector("[data-corridor-undo]");
    var clear = wrapper.querySelector("[data-corridor-clear]");
    if (undo && editor) {
      undo.addEventListener("click", function () {
        editor.undo();
      });
    }
    if (clear && editor) {
      clear.addEventListener("click", function () {
        editor.clear();
      });
    }
    showPosition();
    var layers = [];
    if (marker) {
      layers.push(circle);
    }
    if (editor && editor.points().length) {
      layers.push(editor.layer);
    }
    fit(map, layers, start);
  }

  var SETUP = { points: setUpPoints, post: setUpPost, editor: setUpEditor };

  function setUpAll() {
    document.querySelectorAll("[data-hx-map]").forEach(function (el) {
      var setUp = SETUP[el.dataset.hxMap];
      if (setUp && !el.hxMap) {
        setUp(el);
      }
    });
  }

  // A map drawn while hidden measured itself as 0×0; measure again once it is shown.
  document.addEventListener("shown.bs.collapse", function (event) {
    event.target.querySelectorAll("[data-hx-map]").forEach(function (el) {
      if (el.hxMap) {
        el.hxMap.invalidateSize();
      }
    });
  });

  window.HuxiaoMap = {
    setUp: setUpAll,
    create: create,
    data: data,
    ring: ring,
    statusMarker: statusMarker,
    corridor: corridor,
    fit: fit,
    ringEditor: ringEditor,
    setUpAll: setUpAll,
  };

  document.addEventListener("DOMContentLoaded", setUpAll);
})();
