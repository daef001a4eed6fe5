/* The donation entry form: picking a donor from the htmx search results with the
   keyboard, and fields shown by channel and purpose.
   Works without it too: every field is visible and the server checks everything. */
(function () {
  "use strict";
  var form = document.getElementById("donation-form");
  if (!form) return;
  var query = document.getElementById("id_donor_query");
  var results = document.getElementById("donor-results");
  var donorId = document.getElementById("id_donor");
  var picked = document.getElementById("donor-picked");
  var pickedLabel = document.getElementById("donor-picked-label");
  var searchBox = document.getElementById("donor-search-box");
  var newDonor = document.getElementById("new-donor");
  var amount = document.getElementById("id_amount");
  var channel = document.getElementById("id_channel");
  var items = document.getElementById("in-kind-items");
  var beneficiary = document.getElementById("beneficiary-box");
  var fundBox = document.getElementById("fund-box");

  function show(el, visible) { if (el) el.classList.toggle("d-none", !visible); }

  function pick(button) {
    donorId.value = button.getAttribute("data-donor-id");
    pickedLabel.textContent = button.getAttribute("data-donor-label");
    show(picked, true); show(searchBox, false); show(newDonor, false);
    results.innerHTML = "";
    if (amount) amount.focus();
  }

  if (query) {
    query.addEventListener("keydown", function (event) {
      var first = results.querySelector(".donor-pick");
      if (event.key === "Enter") {
        // Enter in the search box picks the first match instead of submitting.
        event.preventDefault();
        if (first) pick(first);
        else { var name = document.getElementById("id_new_name"); if (name) { name.value = name.value || query.value; name.focus(); } }
      } else if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        first.focus();
      }
    });
  }
  if (results) {
    results.addEventListener("click", function (event) {
      var button = event.target.closest(".donor-pick");
      if (button) pick(button);
    });
    results.addEventListener("keydown", function (event) {
      var current = event.target.closest(".donor-pick");
      if (!current) return;
      if (event.key === "ArrowDown" && current.nextElementSibling) { event.preventDefault(); current.nextElementSibling.focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (current.previousElementSibling || query).focus(); }
    });
  }
  var clear = document.getElementById("donor-clear");
  if (clear) {
    clear.addEventListener("click", function () {
      donorId.value = "";
      show(picked, false); show(searchBox, true); show(newDonor, true);
      query.focus();
    });
  }

  // The amount of a gift in kind is the sum of the valuations as the server read them
  // (their words lines), added up only when every valuation was read; otherwise the
  // amount stays empty and the server names the valuation it refuses.
  function sumItems() {
    var total = 0, clean = true;
    items.querySelectorAll("input[name$='-valuation']").forEach(function (input) {
      if (input.value.trim() === "") return;
      var box = input.dataset.wordsFor && document.getElementById(input.dataset.wordsFor);
      if (!box || box.dataset.shown !== input.value || !box.dataset.amount) { clean = false; return; }
      total += parseInt(box.dataset.amount, 10);
    });
    if (!amount) return;
    var value = clean && total > 0 ? String(total).replace(/\B(?=(\d{3})+(?!\d))/g, ".") : "";
    if (amount.value !== value) {
      amount.value = value;
      amount.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function byChannel() {
    var inKind = channel && channel.value === "in_kind";
    show(items, inKind);
    if (amount) amount.readOnly = inKind;
    if (inKind) sumItems();
  }
  function byPurpose() {
    var checked = form.querySelector("input[name='purpose']:checked");
    var direct = checked && checked.value === "direct";
    show(beneficiary, direct);
    show(fundBox, !direct);
  }
  if (channel) channel.addEventListener("change", byChannel);
  if (items) items.addEventListener("lddh:amount", function () { if (channel.value === "in_kind") sumItems(); });
  form.querySelectorAll("input[name='purpose']").forEach(function (r) { r.addEventListener("change", byPurpose); });
  byChannel();
  byPurpose();
})();
