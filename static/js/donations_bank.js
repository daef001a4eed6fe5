/* Recording a donation from a bank line: pick an existing donor from the htmx search
   (same results as the donation entry page). Without it, the new-donor fields work. */
(function () {
  "use strict";
  var form = document.getElementById("statement-record");
  if (!form) return;
  var results = document.getElementById("donor-results");
  var donorId = form.querySelector("input[name='donor']");
  var picked = document.getElementById("donor-picked");
  var label = document.getElementById("donor-picked-label");
  var search = document.getElementById("donor-search-box");
  var fresh = document.getElementById("new-donor");
  function show(el, visible) { if (el) el.classList.toggle("d-none", !visible); }
  results.addEventListener("click", function (event) {
    var button = event.target.closest(".donor-pick");
    if (!button) return;
    donorId.value = button.getAttribute("data-donor-id");
    label.textContent = button.getAttribute("data-donor-label");
    show(picked, true); show(search, false); show(fresh, false);
    results.innerHTML = "";
  });
  document.getElementById("donor-clear").addEventListener("click", function () {
    donorId.value = "";
    show(picked, false); show(search, true); show(fresh, true);
  });
  var query = form.querySelector("input[name='donor_query']");
  if (query) query.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); var first = results.querySelector(".donor-pick"); if (first) first.click(); }
  });
})();
