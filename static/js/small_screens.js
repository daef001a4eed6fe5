/* Phones (static/css/app.css, section "Phones"): lists as cards, filters behind one button.

   1. Lists as cards. On a narrow screen every row of a `table.table-stack` is shown as a
      card, one line per cell, each line starting with the name of its column. This script
      writes that name into the cell's `data-label` from the table's own header, so a list
      only needs the class: a column added to a template is labelled without another edit.
      A label the template wrote itself is kept; a cell spanning several columns (an empty
      list's message, a total's caption) gets none. Tables htmx swaps in are labelled too.

   2. Filters. A filter form marked `data-filters` folds behind one "Lọc" button on a
      narrow screen; the filters in use are listed beside it as chips, each a link to the
      same list without that one filter. A form showing an error stays open. Without this
      script (or on a wide screen) the form is simply shown, as before. */
(function () {
  "use strict";

  var NARROW = "(max-width: 575.98px)";

  // ---- 1. Lists as cards -------------------------------------------------------------

  function headerText(cell) {
    var copy = cell.cloneNode(true);
    // Sort links carry a hidden hint ("bấm để sắp xếp…") and an arrow: not the column name.
    copy.querySelectorAll(".visually-hidden, .sort-arrow, [aria-hidden='true']").forEach(function (node) {
      node.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function columnNames(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) return null;
    var names = [];
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (cell) {
      var text = headerText(cell);
      for (var i = 0; i < (cell.colSpan || 1); i += 1) names.push(i === 0 ? text : "");
    });
    return names;
  }

  function labelTable(table) {
    var names = columnNames(table);
    if (!names) return;
    var bodies = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) bodies.push(table.tFoot);
    bodies.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var span = cell.colSpan || 1;
          if (!cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", span === 1 ? names[column] || "" : "");
          }
          column += span;
        });
      });
    });
  }

  function labelTables(root) {
    if (root.matches && root.matches("table.table-stack")) labelTable(root);
    root.querySelectorAll("table.table-stack").forEach(labelTable);
    var inside = root.closest && root.closest("table.table-stack");
    if (inside) labelTable(inside);
  }

  // ---- 2. Filters behind one button --------------------------------------------------

  function controlLabel(form, control) {
    var label = control.id ? form.querySelector("label[for='" + control.id + "']") : null;
    if (!label) label = control.closest("label");
    return label ? label.textContent.replace(/\s+/g, " ").trim() : control.name;
  }

  function shownValue(control) {
    if (control.tagName === "SELECT") {
      var option = control.options[control.selectedIndex];
      return option ? option.textContent.replace(/\s+/g, " ").trim() : control.value;
    }
    return control.value.trim();
  }

  function withoutParameter(name) {
    var params = new URLSearchParams(window.location.search);
    params.delete(name);
    params.delete("page");
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function chipsFor(form) {
    var inUrl = new URLSearchParams(window.location.search);
    var chips = [];
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (control) {
      var name = control.name;
      if (!name || seen[name] || control.type === "hidden" || control.type === "submit" ||
          control.type === "button" || control.disabled) return;
      if (!(inUrl.get(name) || "").trim() || !control.value.trim()) return;
      if ((control.type === "checkbox" || control.type === "radio") && !control.checked) return;
      seen[name] = true;
      var text = controlLabel(form, control) + ": " + shownValue(control);
      var chip = document.createElement("a");
      chip.className = "btn btn-sm btn-outline-secondary rounded-pill filter-chip";
      chip.href = withoutParameter(name);
      chip.setAttribute("aria-label", "Bỏ điều kiện lọc " + text);
      chip.appendChild(document.createTextNode(text + " "));
      var cross = document.createElement("span");
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "×";
      chip.appendChild(cross);
      chips.push(chip);
    });
    return chips;
  }

  var counter = 0;

  function foldFilters(form) {
    if (form.dataset.filtersReady) return;
    form.dataset.filtersReady = "1";
    counter += 1;
    if (!form.id) form.id = "bo-loc-" + counter;
    var chips = chipsFor(form);

    var bar = document.createElement("div");
    bar.className = "filter-bar";
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "btn btn-outline-primary filter-toggle";
    toggle.setAttribute("aria-controls", form.id);
    toggle.textContent = chips.length ? "Lọc (" + chips.length + ")" : "Lọc";
    bar.appendChild(toggle);
    chips.forEach(function (chip) { bar.appendChild(chip); });
    form.parentNode.insertBefore(bar, form);

    var hasError = form.querySelector(
      ".is-invalid, .invalid-feedback, .errorlist, .alert-danger, .text-danger:not(.asteriskField)"
    );
    function setOpen(open) {
      form.classList.toggle("is-folded", !open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    setOpen(Boolean(hasError));
    toggle.addEventListener("click", function () {
      var open = form.classList.contains("is-folded");
      setOpen(open);
      if (open && window.matchMedia(NARROW).matches) {
        var first = form.querySelector("input:not([type=hidden]), select, textarea");
        if (first) first.focus();
      }
    });
  }

  function foldAll(root) {
    root.querySelectorAll("form[data-filters]").forEach(foldFilters);
  }

  labelTables(document);
  foldAll(document);
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target && event.target.querySelectorAll ? event.target : document;
    labelTables(root);
  });
})();
