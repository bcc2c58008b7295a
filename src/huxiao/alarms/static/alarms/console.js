/*
 * 护校安园 — the alarm console (/alarms/console/; alarms.consumers documents the protocol).
 *
 * Keeps the alarms it is sent by id, the highest version of each (the catch-up after a
 * reconnect and a live message crossing it show an alarm once), draws the open ones newest
 * first, and rings while one of them has not been acknowledged: a flashing banner always, and a
 * tone (WebAudio, no file) once the user has pressed 启用声音 — browsers refuse sound before a
 * click; the choice is kept for the session (sessionStorage). 签收 posts the alarm page's step;
 * "周边警力" loads the alarm's surroundings panel (its map set up by huxiao/js/map.js).
 * Names are put in with textContent, never as HTML.
 */
(function () {
  "use strict";

  var root = document.getElementById("alarm-console");
  if (!root) {
    return;
  }
  var labels = JSON.parse(root.dataset.labels || "{}");
  var respond = root.dataset.respond === "1";
  var list = document.getElementById("console-alarms");
  var empty = document.getElementById("console-empty");
  var status = document.getElementById("console-status");
  var ring = document.getElementById("console-ring");
  var ringCount = document.getElementById("console-ring-count");
  var errorBox = document.getElementById("console-error");
  var arm = document.getElementById("console-arm");
  var panel = document.getElementById("console-surroundings");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  var alarms = {}; // id -> the alarm as last sent (highest version)
  var cursor = null; // the latest changed_at held: what a reconnect asks from
  var socket = null;
  var retry = 1000;
  var armed = sessionStorage.getItem("hx-alarm-armed") === "1";
  var audio = null;
  var toneTimer = null;

  function url(template, id) {
    return template.replace("/0/", "/" + id + "/");
  }

  function keep(alarm) {
    var held = alarms[alarm.id];
    if (held && held.version >= alarm.version) {
      return false;
    }
    alarms[alarm.id] = alarm;
    if (alarm.changed_at && (!cursor || alarm.changed_at > cursor)) {
      cursor = alarm.changed_at;
    }
    return true;
  }

  function time(iso) {
    if (!iso) {
      return "";
    }
    var d = new Date(iso);
    function two(n) {
      return (n < 10 ? "0" : "") + n;
    }
    return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function row(alarm) {
    var item = el("li", "list-group-item px-0" + (alarm.rings ? " hx-alarm-ringing" : ""));
    item.dataset.alarm = alarm.id;
    item.dataset.state = alarm.state;
    item.dataset.testid = "console-alarm";
    var head = el("div", "d-flex justify-content-between align-items-start gap-2");
    var who = el("div");
    who.appendChild(el("strong", "", alarm.school_name));
    who.appendChild(el("span", "ms-1", "· " + alarm.kind_label));
    if (alarm.place) {
      who.appendChild(el("span", "text-muted ms-1", "· " + alarm.place));
    }
    head.appendChild(who);
    var badge = el(
      "span",
      "badge " + (alarm.state === "received" ? "text-bg-danger" : alarm.state === "closed" ? "text-bg-light border" : "text-bg-warning"),
      alarm.state_label
    );
    badge.dataset.testid = "console-state";
    head.appendChild(badge);
    item.appendChild(head);
    var sub = el("div", "small text-muted", labels.received + " " + time(alarm.received_at));
    if (alarm.escalation_level) {
      sub.appendChild(el("span", "badge text-bg-danger ms-2", labels.escalated + " " + alarm.escalation_level));
    }
    item.appendChild(sub);
    var actions = el("div", "d-flex gap-2 mt-1");
    if (respond && alarm.allowed_actions.indexOf("acknowledge") !== -1) {
      var ack = el("button", "btn btn-danger btn-sm", labels.acknowledge);
      ack.type = "button";
      ack.dataset.testid = "console-acknowledge";
      ack.addEventListener("click", function () {
        acknowledge(alarm.id, ack);
      });
      actions.appendChild(ack);
    }
    var near = el("button", "btn btn-outline-secondary btn-sm", labels.nearby);
    near.type = "button";
    near.addEventListener("click", function () {
      surroundings(alarm.id);
    });
    actions.appendChild(near);
    var detail = el("a", "btn btn-link btn-sm", labels.detail);
    detail.href = alarm.url || url(root.dataset.detailUrl, alarm.id);
    actions.appendChild(detail);
    item.appendChild(actions);
    return item;
  }

  function draw() {
    var shown = Object.keys(alarms)
      .map(function (id) {
        return alarms[id];
      })
      .filter(function (a) {
        return a.state !== "closed";
      })
      .sort(function (a, b) {
        return a.received_at < b.received_at ? 1 : a.received_at > b.received_at ? -1 : b.id - a.id;
      });
    list.replaceChildren.apply(list, shown.map(row));
    empty.classList.toggle("d-none", shown.length > 0);
    var ringing = shown.filter(function (a) {
      return a.rings;
    }).length;
    ring.classList.toggle("d-none", ringing === 0);
    ringCount.textContent = ringing ? "（" + ringing + "）" : "";
    document.body.classList.toggle("hx-ringing", ringing > 0);
    tone(ringing > 0);
  }

  // ---- sound -------------------------------------------------------------------------------

  function beep() {
    if (!audio) {
      return;
    }
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.type = "square";
    osc.frequency.value = 880;
    gain.gain.value = 0.15;
    osc.connect(gain);
    gain.connect(audio.destination);
    osc.start();
    osc.frequency.setValueAtTime(660, audio.currentTime + 0.25);
    osc.stop(audio.currentTime + 0.5);
  }

  function tone(on) {
    if (on && armed && audio && !toneTimer) {
      beep();
      toneTimer = setInterval(beep, 1500);
    } else if ((!on || !armed) && toneTimer) {
      clearInterval(toneTimer);
      toneTimer = null;
    }
  }

  function setArmed(on) {
    armed = on;
    sessionStorage.setItem("hx-alarm-armed", on ? "1" : "0");
    arm.setAttribute("aria-pressed", on ? "true" : "false");
    arm.classList.toggle("btn-danger", on);
    arm.classList.toggle("btn-outline-danger", !on);
    if (on && !audio && (window.AudioContext || window.webkitAudioContext)) {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    }
    if (audio && audio.state === "suspended") {
      audio.resume();
    }
    draw();
  }

  arm.addEventListener("click", function () {
    setArmed(!armed || !audio);
  });
  if (armed) {
    // Remembered for the session; the browser still wants a click before it plays anything.
    arm.classList.add("btn-danger");
    arm.classList.remove("btn-outline-danger");
    document.addEventListener(
      "click",
      function () {
        if (armed && !audio) {
          setArmed(true);
        }
      },
      { once: true }
    );
  }

  // ---- actions -----------------------------------------------------------------------------

  function acknowledge(id, button) {
    button.disabled = true;
    errorBox.classList.add("d-none");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
    fetch(url(root.dataset.stepUrl, id), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok) {
          return response.text().then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var refusal = doc.querySelector("[data-testid=refusal]");
            throw new Error(refusal ? refusal.textContent : String(response.status));
          });
        }
        // the socket brings the new state to every console, this one included
      })
      .catch(function (error) {
        button.disabled = false;
        errorBox.textContent = labels.failed + error.message;
        errorBox.classList.remove("d-none");
      });
  }

  function surroundings(id) {
    fetch(url(root.dataset.surroundingsUrl, id), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        panel.replaceChildren.apply(panel, Array.prototype.slice.call(doc.body.childNodes));
        if (window.HuxiaoMap && window.HuxiaoMap.setUp) {
          window.HuxiaoMap.setUp();
        }
      })
      .catch(function (error) {
        errorBox.textContent = error.message;
        errorBox.classList.remove("d-none");
      });
  }

  // ---- the socket --------------------------------------------------------------------------

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "hello") {
        retry = 1000;
        status.textContent = labels.connected;
        status.className = "badge text-bg-success";
        socket.send(JSON.stringify({ type: "catch_up", since: cursor }));
      } else if (message.type === "alarms") {
        message.alarms.forEach(keep);
        draw();
      } else if (message.type === "alarm") {
        if (keep(message.alarm)) {
          draw();
        }
      }
    };
    socket.onclose = function () {
      status.textContent = labels.reconnecting;
      status.className = "badge text-bg-warning";
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    };
  }

  setInterval(function () {
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify({ type: "ping" }));
    }
  }, 25000);

  connect();
})();
