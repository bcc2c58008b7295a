/*
 * 护校安园 — the gate guard's page (gate/guard.html).
 *
 * - A keyboard-wedge ID-card reader types the number and Enter: Enter in the ID field moves to
 *   the name instead of sending the form.
 * - The form is sent without leaving the page (fetch, the session and the form's CSRF token);
 *   the answer (the page with the result of the match, or with the form's errors) replaces the
 *   page's content.
 * - Offline queue: a registration that cannot be sent (no network) is kept in localStorage
 *   with its original time and idempotency key (photos are not kept) and listed under "待同步";
 *   it is sent on the `online` event, on page load, every minute and on "立即同步", and leaves
 *   the queue only when the server answered: a stored registration (or one already stored: the
 *   key counts it once) or a refusal (400, shown). A login page, 403, 429 and 5xx keep it.
 *
 * Data comes from data-* attributes (the CSP allows no inline script).
 */
(function () {
  "use strict";

  var labels = {};
  var queueKey = "";
  var syncing = false;

  function uuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      return c.randomUUID().replace(/-/g, "");
    }
    var b = new Uint8Array(16);
    c.getRandomValues(b);
    return Array.prototype.map
      .call(b, function (x) {
        return (x + 0x100).toString(16).slice(1);
      })
      .join("");
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function phoneTime(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? "" : pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

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
      /* storage full or disabled: the registration stays shown as not sent */
    }
  }

  function status(text, kind) {
    var box = document.getElementById("gate-status");
    if (!box) {
      return;
    }
    box.className = "alert py-2 alert-" + (kind || "secondary");
    box.textContent = text;
  }

  function renderQueue() {
    var section = document.getElementById("gate-pending");
    if (!section) {
      return;
    }
    var q = loadQueue();
    section.hidden = q.length === 0;
    section.querySelectorAll("[data-pending-count]").forEach(function (badge) {
      badge.textContent = String(q.length);
    });
    var list = section.querySelector("[data-pending-list]");
    list.textContent = "";
    q.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "list-group-item px-0";
      li.dataset.pending = item.fields.idempotency_key;
      li.textContent = (item.fields.name || "") + " · " + String(labels.pending_at || "").replace("{time}", phoneTime(item.fields.at));
      list.appendChild(li);
    });
  }

  function currentToken() {
    var input = document.querySelector("#visit-form [name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function asFormData(fields) {
    var data = new FormData();
    Object.keys(fields).forEach(function (key) {
      data.append(key, fields[key]);
    });
    data.set("csrfmiddlewaretoken", currentToken());
    return data;
  }

  function post(data) {
    return fetch(window.location.pathname, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    });
  }

  function signedOut(response) {
    return response.redirected && /\/login\//.test(response.url);
  }

  // The answer is the guard's page: take its content.
  function swap(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("gate-app");
    var app = document.getElementById("gate-app");
    if (!fresh || !app) {
      return;
    }
    app.innerHTML = fresh.innerHTML;
    var messages = doc.querySelector(".hx-messages");
    var here = document.querySelector(".hx-messages");
    if (messages && here) {
      here.innerHTML = messages.innerHTML;
    }
    if (url && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", url);
    }
    bind();
  }

  function fieldsOf(form) {
    var fields = {};
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrfmiddlewaretoken") {
        fields[key] = value;
      }
    });
    return fields;
  }

  function queue(form) {
    var fields = fieldsOf(form);
    fields.at = new Date().toISOString();
    fields.was_offline = "on";
    var q = loadQueue();
    if (!q.some(function (x) { return x.fields.idempotency_key === fields.idempotency_key; })) {
      q.push({ fields: fields });
      saveQueue(q);
    }
    form.reset();
    var key = form.querySelector("[name=idempotency_key]");
    if (key) {
      key.value = uuid();
    }
    renderQueue();
    status(labels.queued, "warning");
    var id = form.querySelector("[data-id-input]");
    if (id) {
      id.focus();
    }
  }

  function submit(event) {
    var form = event.target;
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) {
      button.disabled = true;
    }
    post(new FormData(form))
      .then(function (response) {
        if (signedOut(response)) {
          queue(form);
          status(labels.login, "warning");
          return null;
        }
        if (response.ok || response.status === 400) {
          return response.text().then(function (html) {
            swap(html, response.status === 400 ? null : response.url);
          });
        }
        status(labels.error + " (" + response.status + ")", "danger");
        return null;
      })
      .catch(function () {
        queue(form);
      })
      .then(function () {
        if (button) {
          button.disabled = false;
        }
      });
  }

  function firstError(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var error = doc.querySelector(".invalid-feedback, .alert-danger");
    return error ? error.textContent.trim() : "";
  }

  function sync() {
    var q = loadQueue();
    if (syncing || q.length === 0 || !navigator.onLine) {
      return;
    }
    syncing = true;
    var sent = 0;
    var next = function (i) {
      if (i >= q.length) {
        syncing = false;
        if (sent) {
          status(labels.synced, "success");
          window.location.reload();
        }
        return;
      }
      var item = q[i];
      post(asFormData(item.fields))
        .then(function (response) {
          if (signedOut(response)) {
            status(labels.login, "warning");
            syncing = false;
            return "stop";
          }
          if (response.ok) {
            sent += 1;
            drop(item.fields.idempotency_key);
            return null;
          }
          if (response.status === 400) {
            return response.text().then(function (html) {
              drop(item.fields.idempotency_key);
              status(labels.refused + (item.fields.name || "") + " " + firstError(html), "danger");
            });
          }
          return null;
        })
        .then(function (result) {
          if (result !== "stop") {
            next(i + 1);
          }
        })
        .catch(function () {
          syncing = false;
        });
    };
    next(0);
  }

  function drop(key) {
    saveQueue(
      loadQueue().filter(function (x) {
        return x.fields.idempotency_key !== key;
      })
    );
    renderQueue();
  }

  function bind() {
    var form = document.querySelector("[data-gate-form]");
    if (form && !form.dataset.bound) {
      form.dataset.bound = "1";
      form.addEventListener("submit", submit);
      var id = form.querySelector("[data-id-input]");
      var name = form.querySelector("[name=name]");
      if (id && name) {
        id.addEventListener("keydown", function (event) {
          if (event.key === "Enter") {
            event.preventDefault();
            id.value = id.value.trim().toUpperCase();
            name.focus();
          }
        });
      }
    }
    var now = document.querySelector("[data-sync-now]");
    if (now && !now.dataset.bound) {
      now.dataset.bound = "1";
      now.addEventListener("click", sync);
    }
    renderQueue();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var app = document.getElementById("gate-app");
    if (!app) {
      return;
    }
    try {
      labels = JSON.parse(app.dataset.labels || "{}");
    } catch (e) {
      labels = {};
    }
    queueKey = "huxiao:gate:" + (app.dataset.user || "");
    bind();
    sync();
    window.addEventListener("online", sync);
    window.setInterval(sync, 60000);
  });
})();
