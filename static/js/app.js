/* Small behaviours shared by every page; no inline scripts anywhere (CSP). */
(function () {
  "use strict";

  // Money inputs. The page never changes what a person typed into another amount: it
  // only adds or removes the thousands dots of input made of digits alone, and any
  // other character (a comma, a minus, a letter, a space) stays visible for the server
  // to accept or refuse with its message. A dot the person typed is theirs too: "1.5"
  // stays "1.5" and is refused, never read as 15.
  function dots(text) { return (text.match(/\./g) || []).length; }

  function regroup(input) {
    var value = input.value;
    var mine = input.dataset.grouped || "";
    if (!/^[0-9.]*$/.test(value) || dots(value) > dots(mine)) return;
    var digits = value.replace(/\./g, "");
    if (digits.length > 1 && digits.charAt(0) === "0") return;  // leading zeros: as typed
    var grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    if (grouped !== value) {
      // Keep the caret after the same number of digits.
      var caret = input.selectionStart === null ? value.length : input.selectionStart;
      var before = value.slice(0, caret).replace(/\./g, "").length;
      input.value = grouped;
      var position = 0, seen = 0;
      while (position < grouped.length && seen < before) {
        if (grouped.charAt(position) !== ".") seen += 1;
        position += 1;
      }
      if (input.setSelectionRange && document.activeElement === input) {
        input.setSelectionRange(position, position);
      }
    }
    input.dataset.grouped = grouped;
  }

  // The amount in words, from the server's own reading (the rules printed on receipts),
  // under every money field of the staff pages: what is seen is what will be stored.
  var wordsUrl = document.body.getAttribute("data-words-url");
  var timers = typeof WeakMap === "function" ? new WeakMap() : null;

  function wordsBox(input) {
    if (input.dataset.wordsFor) return document.getElementById(input.dataset.wordsFor);
    var box = document.createElement("div");
    box.id = (input.id || input.name.replace(/[^A-Za-z0-9_-]/g, "-")) + "-words";
    box.className = "form-text money-words";
    box.setAttribute("aria-live", "polite");
    var anchor = input.closest(".input-group") || input;
    anchor.insertAdjacentElement("afterend", box);
    input.dataset.wordsFor = box.id;
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", described ? described + " " + box.id : box.id);
    return box;
  }

  function limits(input) {
    var query = "";
    if (input && input.dataset.min) query += "&toi-thieu=" + encodeURIComponent(input.dataset.min);
    if (input && input.dataset.max) query += "&toi-da=" + encodeURIComponent(input.dataset.max);
    return query;
  }

  function showWords(text, box, input) {
    if (!wordsUrl || !box) return;
    var asked = text;
    box.dataset.asked = asked;
    if (!text.trim()) { box.textContent = ""; box.classList.remove("text-danger"); return; }
    fetch(wordsUrl + "?so=" + encodeURIComponent(text) + limits(input), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) { return response.json(); }).then(function (data) {
      if (box.dataset.asked !== asked) return;  // the person typed on meanwhile
      if (data.ok) {
        box.textContent = "Bằng chữ: " + data.words + " (" + data.figure + ")";
        box.classList.remove("text-danger");
        box.dataset.amount = String(data.amount);
      } else {
        box.textContent = data.error || "";
        box.classList.toggle("text-danger", Boolean(data.error));
        box.dataset.amount = "";
      }
      box.dataset.shown = asked;
      if (input) input.dispatchEvent(new CustomEvent("lddh:amount", { bubbles: true }));
    }).catch(function () {
      // Offline: nothing to show; the server still reads and checks the amount on saving.
      box.dataset.shown = asked;
      if (input) input.dispatchEvent(new CustomEvent("lddh:amount", { bubbles: true }));
    });
  }

  // The words lines of a form's money fields that have not yet read what is typed now.
  function staleWords(form) {
    return Array.prototype.filter.call(form.querySelectorAll("input.money-input"), function (input) {
      var box = input.dataset.wordsFor && document.getElementById(input.dataset.wordsFor);
      return box && input.value.trim() && box.dataset.shown !== input.value;
    });
  }

  function wantsWords(input) {
    return wordsUrl && input.getAttribute("data-words") !== "off";
  }

  function later(input) {
    if (!wantsWords(input)) return;
    var box = wordsBox(input);
    if (timers) {
      clearTimeout(timers.get(input));
      timers.set(input, setTimeout(function () { showWords(input.value, box, input); }, 150));
    } else {
      showWords(input.value, box, input);
    }
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("money-input")) return;
    regroup(input);
    later(input);
  });

  document.querySelectorAll("input.money-input").forEach(function (input) {
    input.dataset.grouped = input.value;
    if (input.value && wantsWords(input)) showWords(input.value, wordsBox(input), input);
  });

  window.lddh = window.lddh || {};
  window.lddh.showWords = showWords;

  // Buttons and forms that need a confirmation carry data-confirm="question".
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // Enter pressed right after a key: first let the words line read the amount, so the
    // page shows in words what is sent; then send.
    var stale = wordsUrl ? staleWords(form) : [];
    if (stale.length && form.dataset.waited !== "1") {
      event.preventDefault();
      form.dataset.waited = "1";
      var pending = stale.length;
      stale.forEach(function (input) {
        var box = document.getElementById(input.dataset.wordsFor);
        input.addEventListener("lddh:amount", function done() {
          input.removeEventListener("lddh:amount", done);
          pending -= 1;
          if (pending === 0) form.requestSubmit(event.submitter || undefined);
        });
        showWords(input.value, box, input);
      });
      setTimeout(function () { form.dataset.waited = ""; }, 3000);
      return;
    }
    form.dataset.waited = "";
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    // Block double submission of money forms: the server is idempotent too.
    if (form.hasAttribute("data-once")) {
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });
})();
