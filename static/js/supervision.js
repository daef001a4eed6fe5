// Inspection form: show only the scope object that the chosen scope needs.
(function () {
  "use strict";
  var form = document.getElementById("inspection-form");
  if (!form) { return; }
  var scope = form.querySelector("[name=scope]");
  var targets = { fund: "fund", group: "group", household: "household", construction: "support" };
  function wrapperOf(name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.closest(".mb-3") || field.parentElement : null;
  }
  function update() {
    Object.keys(targets).forEach(function (key) {
      var wrapper = wrapperOf(targets[key]);
      if (wrapper) { wrapper.hidden = scope.value !== key; }
    });
  }
  if (scope) {
    scope.addEventListener("change", update);
    update();
  }
})();
