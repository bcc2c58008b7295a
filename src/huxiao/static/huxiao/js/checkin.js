/*
 * 护校安园 — the phone check-in page (patrols/checkin.html) and the QR confirmation page.
 *
 * - "定位打卡": the browser's geolocation (high accuracy; the accuracy is shown before
 *   sending) is posted as JSON to POST /api/v1/checkins with the session and the CSRF header;
 *   the answer is shown (valid with the distance, or the Chinese reason of a refusal).
 * - Offline queue: a check-in that cannot be sent (no network) is kept in localStorage with
 *   its original time and idempotency key and listed under "待同步"; it is sent again on the
 *   `online` event, on page load, every minute and on "立即同步". It leaves the queue only
 *   when the server answered: 2xx (stored; or already stored: the key counts it once; or the
 *   person already checked in at the post in that window: 200 with the first check-in and the
 *   server's message) or a refusal (400/404/422, shown). 401/403 (signed out, stale CSRF
 *   token), 429 and 5xx keep it.
 * - QR confirmation: adds a GPS fix to the form when the browser gives one quickly.
 *
 * Data comes from data-* attributes (the CSP allows no inline script).
 */
(function () {
  "use strict";

  var app = null;
  var labels = {};
  var queueKey = "";
  var syncing = false;

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return values[key] === undefined || values[key] === null ? match : String(values[key]);
    });
  }

  function uuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      return c.randomUUID();
    }
    var b = new Uint8Array(16);
    c.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map
      .call(b, function (x) {
        return (x + 0x100).toString(16).slice(1);
      })
      .join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // "2026-11-23T07:20:05+08:00" → "07:20" (the server's local time, as its own rows show).
  function serverTime(iso) {
    var m = /T(\d\d:\d\d)/.exec(iso || "");
    return m ? m[1] : "";
  }

  function phoneTime(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? "" : pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  // ---- the queue (localStorage, one per user: a shared phone keeps people apart) ----------------

  function loadQueue() {
    try {
      var q = JSON.parse(window.localStorage.getItem(queueKey) || "[]");
      return Array.isArray(q) ? q : [];
    } catch (e) {
      return [];
    }
  }

  function saveQueue(q) {
    try {
      window.localStorage.setItem(queueKey, JSON.stringify(q));
    } catch (e) {
      /* storage full or disabled: the check-in stays shown as not sent */
    }
  }

  function enqueue(item) {
    var q = loadQueue();
    var known = q.some(function (x) {
      return x.idempotency_key === item.idempotency_key;
    });
    if (!known) {
      q.push(item);
      saveQueue(q);
    }
    renderQueue();
  }

  function dequeue(key) {
    saveQueue(
      loadQueue().filter(function (x) {
        return x.idempotency_key !== key;
      })
    );
    renderQueue();
  }

  function renderQueue() {
    var section = document.getElementById("checkin-pending");
    if (!section) {
      return;
    }
    var q = loadQueue();
    section.querySelectorAll("[data-pending-count]").forEach(function (badge) {
      badge.textContent = String(q.length);
    });
    section.hidden = q.length === 0;
    var list = section.querySelector("[data-pending-list]");
    list.textContent = "";
    q.forEach(function (item) {
      var li = el("li", "list-group-item px-0");
      li.dataset.pending = item.idempotency_key;
      li.appendChild(el("div", "fw-semibold", item.post_name || "#" + item.post_id));
      li.appendChild(
        el(
          "div",
          "small text-secondary",
          fmt(labels.pending_at, { time: phoneTime(item.at), acc: item.accuracy_m })
        )
      );
      list.appendChild(li);
    });
  }

  // ---- showing answers --------------------------------------------------------------------------

  function showStatus(text, kind, link) {
    var box = document.getElementById("checkin-status");
    if (!box) {
      return;
    }
    box.className = "alert py-2 alert-" + (kind || "secondary");
    box.textContent = text;
    if (link) {
      var a = el("a", "alert-link ms-1", link.text);
      a.href = link.href;
      box.appendChild(a);
    }
  }

  function cardOf(postId) {
    return app.querySelector('[data-post-card][data-post-id="' + String(postId) + '"]');
  }

  function showResult(postId, text, kind) {
    var card = cardOf(postId);
    var box = card && card.querySelector("[data-result]");
    if (box) {
      var tone = kind === "warning" ? "warning-emphasis" : kind || "secondary";
      box.className = "mt-2 small fw-semibold text-" + tone;
      box.textContent = text;
    } else {
      showStatus(text, kind === "danger" ? "danger" : kind === "success" ? "success" : "secondary");
    }
  }

  function badge(className, text) {
    return el("span", "badge " + className, text);
  }

  function proofBadge(c) {
    var classes = { qr: "text-bg-success", gps: "text-bg-primary", manual: "text-bg-warning" };
    var b = badge(classes[c.proof] || "text-bg-secondary", c.proof_label || (labels.proof || {})[c.proof] || c.proof);
    b.dataset.proof = c.proof;
    return b;
  }

  function addRow(c) {
    var card = cardOf(c.post_id);
    if (!card) {
      return;
    }
    var list = card.querySelector("[data-checkins]");
    if (!list || list.querySelector('[data-checkin="' + String(c.id) + '"]')) {
      return;
    }
    var li = el("li", "list-group-item px-0");
    li.dataset.checkin = String(c.id);
    li.dataset.valid = c.is_valid ? "true" : "false";
    var head = el("div", "d-flex flex-wrap align-items-center gap-2");
    head.appendChild(el("span", "hx-mono fw-semibold", serverTime(c.at)));
    head.appendChild(el("span", "text-secondary small", c.window_name || "—"));
    head.appendChild(proofBadge(c));
    var verdict = c.is_valid
      ? badge("text-bg-success", labels.valid_badge)
      : badge("text-bg-danger", labels.invalid_badge);
    verdict.dataset.testid = c.is_valid ? "checkin-valid" : "checkin-invalid";
    head.appendChild(verdict);
    if (c.was_offline) {
      head.appendChild(badge("text-bg-light border", labels.offline_badge));
    }
    li.appendChild(head);
    if (c.distance_m !== null && c.distance_m !== undefined) {
      var where = fmt(labels.distance, { d: c.distance_m });
      if (c.accuracy_m !== null && c.accuracy_m !== undefined) {
        where += " · " + fmt(labels.precision, { acc: c.accuracy_m });
      }
      li.appendChild(el("div", "small text-secondary", where));
    }
    if (c.problem) {
      li.appendChild(el("div", "small text-danger", c.problem));
    }
    // Rows are in time order: a check-in synced late may belong before today's later ones.
    var rows = list.querySelectorAll("[data-checkin]");
    var before = null;
    for (var i = 0; i < rows.length; i += 1) {
      var t = rows[i].querySelector(".hx-mono");
      if (t && t.textContent > serverTime(c.at)) {
        before = rows[i];
        break;
      }
    }
    list.insertBefore(li, before);
    var empty = card.querySelector("[data-no-checkins]");
    if (empty) {
      empty.hidden = true;
    }
  }

  function verdictText(c) {
    // Nothing new stored: the server says why ("您已在本时段签到（07:20）…", or a re-sent key).
    if (c.message) {
      return c.message;
    }
    if (c.duplicate) {
      return labels.duplicate;
    }
    if (c.is_valid) {
      return c.distance_m === null || c.distance_m === undefined
        ? labels.valid
        : fmt(labels.valid_distance, { d: c.distance_m });
    }
    return labels.invalid + (c.problem || "");
  }

  // True when the server decided (the item may leave the queue), false to keep it.
  function handleAnswer(item, answer, fromQueue) {
    var status = answer.status;
    var body = answer.body || {};
    if (status === 200 || status === 201) {
      addRow(body);
      showResult(item.post_id, verdictText(body), body.is_valid ? "success" : "danger");
      if (fromQueue) {
        showStatus(labels.synced, "success");
      }
      return true;
    }
    if (status === 401 || status === 403) {
      showStatus(labels.login, "warning", { text: labels.relogin, href: app.dataset.login });
      return false;
    }
    if (status === 429 || status >= 500) {
      showResult(item.post_id, labels.error, "danger");
      return false;
    }
    showResult(item.post_id, labels.refused + (body.detail || status), "danger");
    return true;
  }

  // ---- sending ---------------------------------------------------------------------------------

  function payloadOf(item) {
    return {
      post_id: item.post_id,
      latitude: item.latitude,
      longitude: item.longitude,
      accuracy_m: item.accuracy_m,
      at: item.at,
      idempotency_key: item.idempotency_key,
      proof: item.proof,
      was_offline: !!item.was_offline,
    };
  }

  // Resolves with {status, body}; rejects when no answer came (no network).
  function send(item) {
    return window
      .fetch(app.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": app.dataset.csrf,
        },
        body: JSON.stringify(payloadOf(item)),
      })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            return { status: response.status, body: body };
          });
      });
  }

  function queue(item) {
    item.was_offline = true;
    enqueue(item);
    showResult(item.post_id, labels.queued, "warning");
  }

  function submit(item) {
    if (navigator.onLine === false) {
      queue(item);
      return Promise.resolve();
    }
    return send(item).then(
      function (answer) {
        if (!handleAnswer(item, answer, false)) {
          queue(item);
        }
      },
      function () {
        queue(item);
      }
    );
  }

  function sync() {
    if (syncing || navigator.onLine === false) {
      return Promise.resolve();
    }
    var pending = loadQueue();
    if (!pending.length) {
      return Promise.resolve();
    }
    syncing = true;
    var stopped = false;
    var chain = Promise.resolve();
    pending.forEach(function (item) {
      chain = chain.then(function () {
        if (stopped) {
          return null;
        }
        return send(item).then(
          function (answer) {
            if (handleAnswer(item, answer, true)) {
              dequeue(item.idempotency_key);
            } else {
              stopped = true;
            }
          },
          function () {
            stopped = true; // still offline: keep the rest for the next try
          }
        );
      });
    });
    return chain.then(
      function () {
        syncing = false;
        renderQueue();
      },
      function () {
        syncing = false;
        renderQueue();
      }
    );
  }

  function round6(x) {
    return Math.round(x * 1e6) / 1e6;
  }

  function checkIn(button) {
    var postId = parseInt(button.dataset.postId, 10);
    var card = cardOf(postId);
    if (!navigator.geolocation) {
      showResult(postId, labels.no_geo, "danger");
      return;
    }
    button.disabled = true;
    showResult(postId, labels.locating, "secondary");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var accuracy = Math.round(position.coords.accuracy);
        showResult(postId, fmt(labels.accuracy, { acc: accuracy }), "secondary");
        var item = {
          post_id: postId,
          post_name: card ? card.dataset.postName : "",
          latitude: round6(position.coords.latitude),
          longitude: round6(position.coords.longitude),
          accuracy_m: accuracy,
          at: new Date(position.timestamp || Date.now()).toISOString(),
          idempotency_key: uuid(),
          proof: "gps",
          was_offline: false,
        };
        submit(item).then(
          function () {
            button.disabled = false;
          },
          function () {
            button.disabled = false;
          }
        );
      },
      function (error) {
        showResult(postId, error && error.code === 1 ? labels.geo_denied : labels.geo_failed, "danger");
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 }
    );
  }

  function initPage() {
    app = document.getElementById("checkin-app");
    if (!app) {
      return;
    }
    try {
      labels = JSON.parse(app.dataset.labels || "{}");
    } catch (e) {
      labels = {};
    }
    queueKey = "huxiao.checkin.queue." + (app.dataset.user || "");
    app.querySelectorAll("[data-checkin-button]").forEach(function (button) {
      button.addEventListener("click", function () {
        checkIn(button);
      });
    });
    app.querySelectorAll("[data-sync-now]").forEach(function (button) {
      button.addEventListener("click", function () {
        sync();
      });
    });
    window.addEventListener("online", function () {
      sync();
    });
    renderQueue();
    sync();
    window.setInterval(sync, 60000);
  }

  // ---- the QR confirmation: a GPS fix, when the browser has one, goes with the scan ------------

  function initQrForm() {
    var form = document.querySelector("form[data-qr-form]");
    if (!form || !navigator.geolocation) {
      return;
    }
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var set = function (name, value) {
          var input = form.querySelector('input[name="' + name + '"]');
          if (input) {
            input.value = String(value);
          }
        };
        set("latitude", round6(position.coords.latitude).toFixed(6));
        set("longitude", round6(position.coords.longitude).toFixed(6));
        set("accuracy_m", Math.round(position.coords.accuracy));
      },
      function () {
        /* the QR code proves presence by itself */
      },
      { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 }
    );
  }

  document.addEventListener("DOMContentLoaded", function () {
    initPage();
    initQrForm();
  });
})();
