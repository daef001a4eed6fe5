/* The collection-round grid: a table of inputs that behaves like a spreadsheet.
   Enter moves down a row (Tab moves right, natively); typing in the last row adds a
   new one; rows copied from Excel (tab-separated) paste into the rows below the cell;
   the entered count and total update as you type. Without this script the table is a
   plain form with blank rows: everything still saves. */
(function () {
  "use strict";
  var form = document.getElementById("round-grid");
  if (!form) return;
  var body = form.querySelector("tbody");
  var total = form.querySelector("input[name='lines-TOTAL_FORMS']");
  var summary = document.getElementById("grid-summary");
  var wordsTimer = null;
  var COLUMNS = ["name", "phone", "address", "amount_text", "anonymous", "note"];

  function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr.grid-row")); }
  function cell(row, column) { return row.querySelector("[name$='-" + column + "']"); }
  function digits(text) { return String(text || "").replace(/[^0-9]/g, ""); }
  function money(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + "\u00a0đ"; }

  function addRow() {
    var last = rows()[rows().length - 1];
    var index = parseInt(total.value, 10);
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(/lines-\d+-/, "lines-" + index + "-");
      if (input.id) input.id = input.id.replace(/lines-\d+-/, "lines-" + index + "-");
      if (input.type === "checkbox") input.checked = false; else input.value = "";
    });
    copy.querySelector(".grid-number").textContent = String(index + 1);
    body.appendChild(copy);
    total.value = String(index + 1);
    return copy;
  }

  function filled(row) {
    return COLUMNS.some(function (c) {
      var input = cell(row, c);
      return input && (input.type === "checkbox" ? input.checked : input.value.trim() !== "");
    });
  }

  function refresh() {
    var count = 0, sum = 0;
    rows().forEach(function (row) {
      // Only what the server would read: digits grouped by dots, commas or spaces.
      var text = cell(row, "amount_text").value.trim().replace(/\s*(đồng|dong|vnđ|vnd|đ|₫)$/i, "");
      if (!/^\d{1,3}([., \u00a0]\d{3})*$|^\d+$/.test(text)) return;
      // One kind of separator only, as the server reads it ("1.500,000" is refused).
      var separators = text.replace(/[0-9]/g, "");
      if (separators.split("").some(function (c) { return c !== separators[0]; })) return;
      var amount = digits(text).replace(/^0+/, "");
      var input = cell(row, "amount_text");
      // Longer than 15 digits or above the field's maximum: the server refuses it too.
      if (amount === "" || amount.length > 15) return;
      if (input.dataset.max && parseInt(amount, 10) > parseInt(input.dataset.max, 10)) return;
      count += 1; sum += parseInt(amount, 10);
    });
    var all = rows();
    if (filled(all[all.length - 1])) addRow();
    if (!summary) return;
    document.getElementById("grid-count").textContent = String(count);
    document.getElementById("grid-total").textContent = money(sum);
    var words = document.getElementById("grid-total-words");
    if (words && window.lddh && words.dataset.shown !== String(sum)) {
      clearTimeout(wordsTimer);
      wordsTimer = setTimeout(function () {
        window.lddh.showWords(sum ? String(sum) : "", words);
      }, 150);
    }
    var ok = count === parseInt(summary.dataset.expectedCount, 10) &&
             sum === parseInt(summary.dataset.expectedTotal, 10);
    var badge = document.getElementById("grid-diff");
    badge.textContent = ok ? "khớp" : "chênh lệch";
    badge.className = "badge " + (ok ? "text-bg-success" : "text-bg-danger");
  }

  body.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
    event.preventDefault();  // Enter never submits the grid by accident
    var row = event.target.closest("tr");
    var column = COLUMNS.filter(function (c) { return event.target.name.endsWith("-" + c); })[0];
    var next = row.nextElementSibling || addRow();
    var target = cell(next, event.shiftKey ? "name" : column) || cell(next, "name");
    if (event.shiftKey && row.previousElementSibling) target = cell(row.previousElementSibling, column);
    target.focus();
    if (target.select) target.select();
  });

  body.addEventListener("paste", function (event) {
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!text || (text.indexOf("\t") < 0 && text.indexOf("\n") < 0)) return;
    event.preventDefault();
    var lines = text.replace(/\r/g, "").replace(/\n+$/, "").split("\n");
    var row = event.target.closest("tr");
    var start = COLUMNS.filter(function (c) { return event.target.name.endsWith("-" + c); })[0];
    var offset = COLUMNS.indexOf(start);
    lines.forEach(function (line, i) {
      if (i > 0) row = row.nextElementSibling || addRow();
      line.split("\t").forEach(function (value, j) {
        var column = COLUMNS[offset + j];
        var input = column && cell(row, column);
        if (!input) return;
        value = value.trim();
        if (input.type === "checkbox") input.checked = value !== "" && !/^(0|không|khong|no)$/i.test(value);
        else input.value = value;
      });
    });
    refresh();
  });

  body.addEventListener("input", refresh);
  body.addEventListener("change", refresh);

  // Empty rows send nothing: a long list stays under the server's field limit.
  form.addEventListener("submit", function () {
    rows().forEach(function (row) {
      if (!filled(row)) row.querySelectorAll("input").forEach(function (input) { input.removeAttribute("name"); });
    });
  });
  refresh();
})();
