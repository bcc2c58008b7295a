/*
 * 护校安园 — the patrol pages' small helpers (patrols/route_form.html, patrol_detail.html,
 * video_form.html). Every form also works without this file; it only fills in what the
 * browser knows. No inline script or style (CSP); texts come from data-* attributes.
 *
 * - 到点打卡 (form[data-geo-visit]): before sending, the phone's position (high accuracy) is put
 *   into the form's hidden latitude/longitude; the server decides whether it is within the
 *   checkpoint's radius and answers with the distance when it is not. Without a position
 *   the form is not sent and the reason is shown in [data-geo-status].
 * - Route form: choosing a school in a checkpoint row ([data-cp-row]) fills the row's name
 *   and position from the option's data-name / data-lat / data-lon; [data-cp-add] adds a row
 *   from the formset's empty form (<template data-cp-template>).
 * - Video patrol form: choosing a school fills the cameras checked / offline from the
 *   option's data-cameras / data-offline (the school's registered cameras).
 */
(function () {
  "use strict";

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return values[key] === undefined ? match : String(values[key]);
    });
  }

  // ---- 到点打卡 -----------------------------------------------------------------------------

  function onVisitSubmit(event) {
    var form = event.target.closest("form[data-geo-visit]");
    if (!form) {
      return;
    }
    var lat = form.querySelector("input[name=latitude]");
    var lon = form.querySelector("input[name=longitude]");
    if (lat.value && lon.value) {
      return; // the position is in: let the form go
    }
    event.preventDefault();
    var status = form.querySelector("[data-geo-status]");
    var button = form.querySelector("button[type=submit]");
    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }
    if (!navigator.geolocation) {
      say(form.dataset.geoNone || "");
      return;
    }
    say(form.dataset.geoWait || "");
    if (button) {
      button.disabled = true;
    }
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        form.submit();
      },
      function (error) {
        if (button) {
          button.disabled = false;
        }
        say(fmt(form.dataset.geoFail, { reason: error && error.message ? error.message : "" }));
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 }
    );
  }

  // ---- route form ---------------------------------------------------------------------------

  function selected(select) {
    return select && select.selectedIndex >= 0 ? select.options[select.selectedIndex] : null;
  }

  function onCheckpointSchool(select) {
    var row = select.closest("[data-cp-row]");
    var option = selected(select);
    if (!row || !option || !option.value) {
      return;
    }
    var name = row.querySelector("input[name$='-name']");
    var lat = row.querySelector("input[name$='-latitude']");
    var lon = row.querySelector("input[name$='-longitude']");
    if (name && option.dataset.name) {
      name.value = option.dataset.name;
    }
    if (lat && lon && option.dataset.lat && option.dataset.lon) {
      lat.value = option.dataset.lat;
      lon.value = option.dataset.lon;
    }
  }

  function addCheckpointRow(button) {
    var form = button.closest("form");
    var template = form && form.querySelector("template[data-cp-template]");
    var rows = form && form.querySelector("[data-cp-rows]");
    var total = form && form.querySelector("input[name$='-TOTAL_FORMS']");
    var max = form && form.querySelector("input[name$='-MAX_NUM_FORMS']");
    if (!template || !rows || !total) {
      return;
    }
    var n = parseInt(total.value, 10) || 0;
    if (max && n >= (parseInt(max.value, 10) || 1000)) {
      return;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(n));
    var box = document.createElement("div");
    box.innerHTML = html;
    while (box.firstElementChild) {
      rows.appendChild(box.firstElementChild);
    }
    total.value = String(n + 1);
  }

  // ---- video patrol form --------------------------------------------------------------------

  function onVideoSchool(select) {
    var form = select.closest("[data-video-form]");
    var option = selected(select);
    if (!form || !option || !option.value) {
      return;
    }
    var checked = form.querySelector("input[name=cameras_checked]");
    var offline = form.querySelector("input[name=cameras_offline]");
    if (checked && option.dataset.cameras !== undefined) {
      checked.value = option.dataset.cameras;
    }
    if (offline && option.dataset.offline !== undefined) {
      offline.value = option.dataset.offline;
    }
  }

  document.addEventListener("submit", onVisitSubmit);
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || target.tagName !== "SELECT") {
      return;
    }
    if (target.closest("[data-cp-row]")) {
      onCheckpointSchool(target);
    } else if (target.name === "school" && target.closest("[data-video-form]")) {
      onVideoSchool(target);
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-cp-add]");
    if (button) {
      addCheckpointRow(button);
    }
  });
})();
