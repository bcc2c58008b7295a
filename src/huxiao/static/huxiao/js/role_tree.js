/* The role editor (system/role_form.html): "select all" boxes of the permission tree, and the
   自定义 organisations shown only when that data scope is chosen. A static file: the CSP allows
   no inline script. Without JavaScript every box still works on its own. */
(function () {
  "use strict";

  function boxesIn(scope) {
    return Array.prototype.slice.call(scope.querySelectorAll('input[name="permissions"]'));
  }

  function refresh(form) {
    form.querySelectorAll("input[data-check-all]").forEach(function (all) {
      var scope = all.closest("[data-check-scope]");
      var boxes = boxesIn(scope);
      var ticked = boxes.filter(function (b) { return b.checked; }).length;
      all.checked = boxes.length > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
    form.querySelectorAll("[data-count-of]").forEach(function (badge) {
      var scope = badge.closest("[data-check-scope]");
      var boxes = boxesIn(scope);
      badge.textContent = boxes.filter(function (b) { return b.checked; }).length + "/" + boxes.length;
    });
  }

  function showScope(form) {
    var select = form.querySelector("select[data-scope-select]");
    var target = form.querySelector("[data-custom-scope]");
    if (!select || !target) return;
    target.hidden = select.value !== "custom";
  }

  function init() {
    var form = document.querySelector("form[data-role-form]");
    if (!form) return;
    form.addEventListener("change", function (event) {
      var el = event.target;
      if (el.matches("input[data-check-all]")) {
        boxesIn(el.closest("[data-check-scope]")).forEach(function (b) { b.checked = el.checked; });
      }
      if (el.matches("select[data-scope-select]")) showScope(form);
      refresh(form);
    });
    var expand = document.querySelectorAll("[data-tree-toggle]");
    expand.forEach(function (button) {
      button.addEventListener("click", function () {
        var open = button.getAttribute("data-tree-toggle") === "open";
        form.querySelectorAll("details[data-tree-branch]").forEach(function (d) { d.open = open; });
      });
    });
    refresh(form);
    showScope(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
