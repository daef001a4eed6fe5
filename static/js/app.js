/* Small behaviours shared by every page; no inline scripts anywhere (CSP). */
(function () {
  "use strict";
  // Money inputs: show 1.500.000 as the person types, keep the caret at the end.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("money-input")) return;
    var digits = input.value.replace(/[^0-9]/g, "");
    if (digits === "") { input.value = ""; return; }
    input.value = digits.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  });
  // Buttons and forms that need a confirmation carry data-confirm="question".
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    // Block double submission of money forms: the server is idempotent too.
    if (form.hasAttribute("data-once")) {
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });
})();
