/*
 * 护校安园 — 指挥大屏 (reports/bigscreen.html): the dashboard's tiles, breakdown chart and map
 * on a dark 1920×1080 screen, kept live.
 *
 * Live: a WebSocket to /ws/live/ (reports.consumers.LiveConsumer) says "changed" when a record
 * of the jurisdiction changes (a check-in); the page then re-reads [data-source] (the big
 * screen's JSON, /reports/bigscreen/data/?org=… with the period as the page was asked for it,
 * so that "本月" follows the date on a screen left running) and redraws. Bursts are merged
 * (one read per few seconds), and the page also re-reads every data-refresh seconds (60) as a
 * fallback when the socket is down. The [data-live] indicator shows the socket's state
 * (connecting / open / closed); closed sockets are retried with a growing delay.
 * Everything is built with DOM methods and textContent: no HTML from data, no inline style.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-bigscreen]");
  if (!root) {
    return;
  }
  var D = window.HuxiaoDash;
  var labels = document.querySelector("[data-live-labels]");
  var indicator = root.querySelector("[data-live]");
  var MERGE_MS = 2000;
  var state = { chart: null, map: null, pending: null, loading: false, retry: 2000 };

  function setLive(status) {
    if (!indicator) {
      return;
    }
    indicator.dataset.live = status;
    var text = indicator.querySelector("[data-live-text]");
    if (text && labels) {
      text.textContent = labels.dataset[status] || status;
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function drawTiles(groups) {
    var box = root.querySelector("[data-bs-tiles]");
    if (!box) {
      return;
    }
    var fragment = document.createDocumentFragment();
    (groups || []).forEach(function (g) {
      var group = el("div", "hx-bs-group");
      group.dataset.group = g.key;
      group.appendChild(el("h2", "hx-bs-group-title", g.title));
      var list = el("div", "hx-bs-group-tiles");
      g.tiles.forEach(function (t) {
        var tile = el("a", "hx-bs-tile" + (t.state ? " hx-tile-" + t.state : ""));
        tile.href = t.url;
        tile.dataset.figure = t.code;
        tile.dataset.testid = "tile-" + t.code;
        var value = el("span", "hx-bs-value", t.display);
        value.appendChild(el("small", "", t.unit));
        tile.appendChild(value);
        tile.appendChild(el("span", "hx-bs-label", t.label));
        list.appendChild(tile);
      });
      group.appendChild(list);
      fragment.appendChild(group);
    });
    box.replaceChildren(fragment);
  }

  function drawCounts(counts) {
    Object.keys(counts || {}).forEach(function (k) {
      root.querySelectorAll("[data-count=" + k + "]").forEach(function (b) {
        b.textContent = String(counts[k]);
      });
    });
  }

  function drawUpdated(at) {
    var t = root.querySelector("[data-updated]");
    if (t && at) {
      t.textContent = String(at).slice(11, 19);
      t.dateTime = at;
    }
  }

  // The period as the server resolved it this time ("本月" moves on at midnight).
  function drawPeriod(data) {
    [
      ["[data-period-from]", data.from],
      ["[data-period-to]", data.to],
    ].forEach(function (pair) {
      var node = root.querySelector(pair[0]);
      if (node && pair[1]) {
        node.textContent = String(pair[1]);
      }
    });
  }

  function draw(data) {
    drawPeriod(data);
    drawTiles(data.groups);
    drawCounts(data.map && data.map.counts);
    drawUpdated(data.at);
    if (state.chart) {
      D.breakdown(state.chart, data.breakdown, true);
    }
    if (state.map) {
      state.map.update(data.map);
    }
    root.dataset.refreshed = String((Number(root.dataset.refreshed) || 0) + 1);
  }

  // A failed read (network down, or signed out: the JSON answers with the sign-in page)
  // leaves the last numbers on screen with a visible note, never silently old numbers.
  function stale(on) {
    var note = root.querySelector("[data-stale-note]");
    if (on) {
      root.dataset.stale = "1";
    } else {
      delete root.dataset.stale;
    }
    if (note) {
      note.hidden = !on;
    }
  }

  function refresh() {
    if (state.loading) {
      return;
    }
    state.loading = true;
    window
      .fetch(root.dataset.source, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (r) {
        if (r.redirected || !r.ok) {
          throw new Error("HTTP " + r.status);
        }
        return r.json();
      })
      .then(function (data) {
        draw(data);
        stale(false);
      })
      .catch(function () {
        stale(true); // the numbers shown stay, marked; the next round tries again
      })
      .then(function () {
        state.loading = false;
      });
  }

  function soon() {
    if (state.pending) {
      return;
    }
    state.pending = window.setTimeout(function () {
      state.pending = null;
      refresh();
    }, MERGE_MS);
  }

  function connect() {
    if (!("WebSocket" in window)) {
      setLive("closed");
      return;
    }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    setLive("connecting");
    try {
      socket = new WebSocket(scheme + window.location.host + "/ws/live/");
    } catch (e) {
      setLive("closed");
      return;
    }
    socket.addEventListener("open", function () {
      state.retry = 2000;
      setLive("open");
    });
    socket.addEventListener("message", function (event) {
      var message = null;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (message && message.type === "hello") {
        setLive("open");
      } else if (message && message.type === "changed") {
        soon();
      }
    });
    socket.addEventListener("close", function () {
      setLive("closed");
      window.setTimeout(connect, state.retry);
      state.retry = Math.min(state.retry * 2, 60000);
    });
  }

  function setUp() {
    var charts = D.json("bigscreen-charts") || {};
    state.chart = root.querySelector("[data-chart=breakdown]");
    if (state.chart) {
      D.breakdown(state.chart, charts.breakdown, true);
    }
    var mapEl = root.querySelector("[data-dash-map]");
    if (mapEl) {
      state.map = D.map(mapEl, D.json(mapEl.dataset.dashMap), { radius: 9 });
    }
    var seconds = Number(root.dataset.refresh) || 60;
    window.setInterval(refresh, seconds * 1000);
    connect();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
