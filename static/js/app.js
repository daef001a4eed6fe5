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

  // Before a form is sent. A confirmation is never a browser box: the server shows a
  // review step (lddh/ward/review.py), or ask.js an in-page dialog for a simple action.
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
    // Block double submission of money forms: the server is idempotent too.
    if (form.hasAttribute("data-once")) {
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });
  // Back from a review step to a page the browser kept: its forms may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-once]").forEach(function (form) { form.dataset.sent = ""; });
  });

  // Progress bars of long work: the markup of templates/includes/progress.html (a
  // .progress with its .progress-bar, and a [data-progress-text] line). A percent that is
  // not a number means the amount of work is not known yet: the bar moves without a figure.
  function progressBox(label) {
    var box = document.createElement("div");
    box.className = "work-progress mt-2";
    var bar = document.createElement("div");
    bar.className = "progress";
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", label);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    bar.appendChild(document.createElement("div")).className = "progress-bar";
    var line = document.createElement("p");
    line.className = "progress-text mt-2 mb-0";
    line.setAttribute("aria-live", "polite");
    line.setAttribute("data-progress-text", "");
    box.appendChild(bar);
    box.appendChild(line);
    return box;
  }

  function setProgress(box, percent, text, failed) {
    var bar = box.querySelector(".progress");
    var fill = box.querySelector(".progress-bar");
    var line = box.querySelector("[data-progress-text]");
    var known = typeof percent === "number" && isFinite(percent);
    var value = known ? Math.max(0, Math.min(100, Math.floor(percent))) : 100;
    if (fill) {
      fill.style.width = value + "%";
      fill.textContent = known ? value + " %" : "";
      fill.classList.toggle("progress-bar-striped", !known);
      fill.classList.toggle("progress-bar-animated", !known && !failed);
      fill.classList.toggle("bg-danger", Boolean(failed));
    }
    if (bar) {
      if (known) bar.setAttribute("aria-valuenow", String(value));
      else bar.removeAttribute("aria-valuenow");
    }
    if (line && typeof text === "string") {
      line.textContent = text;
      line.classList.toggle("text-danger", Boolean(failed));
    }
  }

  // Uploads: <form data-upload-progress> with a file input is sent by XMLHttpRequest,
  // which tells how much of the file has gone. The answer is then shown as the browser
  // shows a posted form's: the page the server answered with (after its redirect, which
  // XMLHttpRequest follows, or the form again with its errors, or a refusal) replaces this
  // one, under the address it came from. It is not fetched a second time, so a message
  // set before the redirect is seen once, as usual. The CSRF token goes with the form's
  // own fields. Without JavaScript the form posts as usual.
  var MB = 1024 * 1024;
  var UPLOAD_LOST = "Mất kết nối khi đang tải lên: tệp chưa được gửi hết. Kiểm tra mạng rồi bấm gửi lại.";
  var UPLOAD_DONE = "Đã tải lên xong. Máy chủ đang nhận tệp…";

  function megabytes(bytes) { return (bytes / MB).toFixed(1).replace(".", ","); }

  function uploadLine(loaded, total) {
    return "Đang tải lên " + Math.floor(loaded * 100 / total) + " % (" +
      megabytes(loaded) + " / " + megabytes(total) + " MB)";
  }

  function withoutFragment(url) { return url.split("#")[0]; }

  function replacePage(html) {
    document.open();
    document.write(html);
    document.close();
  }

  function uploadButtons(form) {
    var list = Array.prototype.slice.call(form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]"));
    if (form.id) list = list.concat(Array.prototype.slice.call(document.querySelectorAll("[form='" + form.id + "'][type=submit]")));
    return list;
  }

  function upload(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var action = withoutFragment(form.action);
    var box = form.uploadProgress;
    if (!box) {
      box = form.uploadProgress = progressBox("Tiến độ tải lên");
      var anchor = submitter || form.querySelector("[type=submit]");
      if (anchor && form.contains(anchor)) anchor.insertAdjacentElement("afterend", box);
      else form.appendChild(box);
    }
    box.hidden = false;
    setProgress(box, 0, "Đang tải lên…");
    var buttons = uploadButtons(form);
    buttons.forEach(function (button) { button.disabled = true; });
    form.setAttribute("aria-busy", "true");

    var xhr = new XMLHttpRequest();
    xhr.open((form.getAttribute("method") || "post").toUpperCase(), action);
    xhr.setRequestHeader("Accept", "text/html");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable && event.total) setProgress(box, event.loaded * 100 / event.total, uploadLine(event.loaded, event.total));
    });
    xhr.upload.addEventListener("load", function () { setProgress(box, null, UPLOAD_DONE); });
    xhr.addEventListener("load", function () {
      var reached = xhr.responseURL ? withoutFragment(xhr.responseURL) : action;
      // First the address, so that the new page's relative links resolve against it.
      if (reached !== withoutFragment(window.location.href)) window.history.replaceState(null, "", reached);
      replacePage(xhr.responseText);
    });
    function lost() {
      setProgress(box, null, UPLOAD_LOST, true);
      buttons.forEach(function (button) { button.disabled = false; });
      form.setAttribute("aria-busy", "false");
      form.dataset.sent = "";  // data-once: this sending never arrived
    }
    xhr.addEventListener("error", lost);
    xhr.addEventListener("abort", lost);
    xhr.send(data);
  }

  // Registered after the double-click guard above (and ask.js's dialog), which may cancel.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload-progress")) return;
    if (!window.FormData || !form.querySelector("input[type=file]")) return;
    event.preventDefault();
    upload(form, event.submitter);
  });

  // Background work: an element with data-progress-url asks that URL every second for
  // {"percent", "text", "done", "redirect"} (lddh/ward/background.py), shows it, and once
  // done goes to the redirect or reloads. After a few failed tries in a row it stops and
  // says so; without JavaScript the page refreshes itself (templates/includes/progress.html).
  var POLL_MS = 1000;
  var POLL_TRIES = 5;
  var POLL_LOST = "Mất kết nối với máy chủ nên không cập nhật được tiến độ. Công việc vẫn tiếp tục trên máy chủ; hãy tải lại trang sau ít phút.";

  function followProgress(box) {
    var url = box.getAttribute("data-progress-url");
    var failures = 0;
    function next() { window.setTimeout(ask, POLL_MS); }
    function failed() {
      failures += 1;
      if (failures < POLL_TRIES) { next(); return; }
      var line = box.querySelector("[data-progress-text]");
      setProgress(box, null, POLL_LOST, true);
      if (line) line.setAttribute("role", "alert");
    }
    function ask() {
      fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          setProgress(box, data.percent, data.text);
          if (!data.done) { next(); return; }
          if (data.redirect) window.location.assign(data.redirect);
          else window.location.reload();
        })
        .catch(failed);
    }
    next();
  }

  document.querySelectorAll("[data-progress-url]").forEach(followProgress);
})();
