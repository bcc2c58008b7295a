/*
 * 护校安园 — the shell's behaviour. Loaded from 'self' (the CSP allows no inline script).
 *
 * - keeps the notification bell's badge live over the WebSocket /ws/notifications/,
 *   which sends {"type": "unread", "count": N} on connect and after every change;
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

  document.addEventListener("DOMContentLoaded", connectNotifications);
})();
