/*
 * 护校安园 — the shell's behaviour. Loaded from 'self' (the CSP allows no inline script).
 *
 * - keeps the notification bell's badge live over the WebSocket /ws/notifications/,
 *   which sends {"type": "unread", "count": N} on connect and after every change;
 * - shows an urgent message as a toast with a short beep, once: the newest one that arrived
 *   while no page was open is named by the page (#hx-urgent-alerts data-pending), new ones
 *   over the socket ({"type": "urgent", "id": N}); each is claimed with a POST first and only
 *   the page that gets its text (200, not 204) shows it, so a reload or another tab does not;
 *   the answer names the next one still to be shown, claimed in turn (a few per page);
 * - registers the Alpine.js components (CSP build: components are named in templates
 *   and defined here, never written as expressions in attributes);
 * - small helpers driven by data attributes (data-hx-back).
 */
(function () {
  "use strict";

  function setUnread(count) {
    var n = parseInt(count, 10) || 0;
    document.querySelectorAll("[data-unread-badge]").forEach(function (badge) {
      badge.textContent = n > 99 ? "99+" : String(n);
      badge.hidden = n === 0;
    });
    document.querySelectorAll("[data-unread-label]").forEach(function (el) {
      el.dataset.count = String(n);
    });
  }

  // ---- urgent messages: a toast and a beep, once ---------------------------------------------

  var ALERTS_PER_PAGE = 3; // the backlog of a long absence: the rest on the next pages
  var alertRoot = null;
  var alertsAsked = {};
  var alertsChained = 0;
  var audio = null;

  function claimAlert(id) {
    var n = parseInt(id, 10);
    if (!alertRoot || !n || alertsAsked[n] || !window.fetch) {
      return;
    }
    alertsAsked[n] = true;
    var url = alertRoot.dataset.alertUrl.replace("/0/", "/" + n + "/");
    window
      .fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": alertRoot.dataset.csrf, Accept: "application/json" },
      })
      .then(function (response) {
        // 204: already shown (another tab, an earlier page); anything else: nothing to show.
        return response.status === 200 ? response.json() : null;
      })
      .then(function (message) {
        if (message) {
          showAlert(message);
          if (message.next && alertsChained < ALERTS_PER_PAGE - 1) {
            alertsChained += 1;
            claimAlert(message.next);
          }
        }
      })
      .catch(function () {
        // Not recorded either: the next page asks again.
        alertsAsked[n] = false;
      });
  }

  function showAlert(message) {
    var template = document.getElementById("hx-urgent-toast");
    if (!template) {
      return;
    }
    var toast = template.content.firstElementChild.cloneNode(true);
    toast.dataset.notification = String(message.id);
    toast.querySelector("[data-alert-title]").textContent = message.title || "";
    toast.querySelector("[data-alert-body]").textContent = message.body || "";
    var link = toast.querySelector("[data-alert-link]");
    // The server sends only links inside the platform; checked again before use.
    if (message.link && message.link.charAt(0) === "/" && message.link.charAt(1) !== "/") {
      link.setAttribute("href", message.link);
      link.hidden = false;
    }
    alertRoot.appendChild(toast);
    if (window.bootstrap && window.bootstrap.Toast) {
      toast.addEventListener("hidden.bs.toast", function () {
        toast.remove();
      });
      window.bootstrap.Toast.getOrCreateInstance(toast).show();
    } else {
      toast.classList.add("show");
    }
    beep(toast);
  }

  function beep(toast) {
    if (alertRoot.dataset.muteUrgentSound === "1") {
      toast.dataset.sound = "muted";
      return;
    }
    var Context = window.AudioContext || window.webkitAudioContext;
    toast.dataset.sound = "blocked"; // until the browser lets it play
    if (!Context) {
      return;
    }
    try {
      audio = audio || new Context();
    } catch (e) {
      return;
    }
    var asked = Date.now();
    // Browsers keep audio suspended until the user has clicked on the page: then resume()
    // is refused or never settles, and the toast stays silent. A resume that comes much later
    // (the user's next click) must not beep out of context.
    var ready = audio.state === "running" ? Promise.resolve() : audio.resume();
    Promise.resolve(ready)
      .then(function () {
        if (audio.state !== "running" || Date.now() - asked > 2000) {
          return;
        }
        var now = audio.currentTime;
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = "square";
        osc.frequency.setValueAtTime(880, now);
        osc.frequency.setValueAtTime(660, now + 0.18);
        gain.gain.setValueAtTime(0.15, now);
        gain.gain.exponentialRampToValueAtTime(0.001, now + 0.4);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(now);
        osc.stop(now + 0.4);
        toast.dataset.sound = "played";
      })
      .catch(function () {});
  }

  function setUpAlerts() {
    alertRoot = document.getElementById("hx-urgent-alerts");
    if (!alertRoot) {
      return;
    }
    if (alertRoot.dataset.pending) {
      claimAlert(alertRoot.dataset.pending);
    }
  }

  function connectNotifications() {
    if (!document.querySelector("[data-unread-badge]") || !("WebSocket" in window)) {
      return;
    }
    var delay = 1000;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + "/ws/notifications/";

    function open() {
      var socket;
      try {
        socket = new WebSocket(url);
      } catch (e) {
        return;
      }
      socket.addEventListener("open", function () {
        delay = 1000;
      });
      socket.addEventListener("message", function (event) {
        var message;
        try {
          message = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        if (message && message.type === "unread") {
          setUnread(message.count);
        } else if (message && message.type === "urgent") {
          claimAlert(message.id);
        }
      });
      socket.addEventListener("close", function (event) {
        // 4401: not signed in (the session ended); the next page load asks to sign in.
        if (event.code === 4401) {
          return;
        }
        window.setTimeout(open, delay);
        delay = Math.min(delay * 2, 60000);
      });
    }

    open();
  }

  document.addEventListener("alpine:init", function () {
    // A read-only field with a copy button (the new API token, shown once).
    window.Alpine.data("copyField", function () {
      return {
        copied: false,
        copy: function () {
          var input = this.$refs.value;
          var done = function () {
            this.copied = true;
          }.bind(this);
          if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(input.value).then(done);
          } else {
            input.select();
            document.execCommand("copy");
            done();
          }
        },
      };
    });
  });

  document.addEventListener("click", function (event) {
    var back = event.target.closest("[data-hx-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    setUpAlerts();
    connectNotifications();
  });
})();
