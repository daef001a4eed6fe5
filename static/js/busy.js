/* Long operations show that they are running: on submit the button is
   disabled and a status line with a spinner appears. No inline script (CSP): forms opt in
   with data attributes, read here.

   Which forms:
   - <form data-busy>                   any long POST (imports, postings): the page reloads
                                         when the server is done;
   - <form data-busy="download">, <a data-busy="download">   a file download: the page
     stays, so the server says when the file has started (a cookie named after a token the
     script adds as ?tai_ve=...; lddh/ward/downloads.py). The file keeps streaming in the
     browser's own download bar, which shows its progress;
   - every POST form that uploads a file (enctype multipart/form-data). The confirmation
     of a review step (templates/ward/review.html) carries data-busy.
   data-busy-text="..." replaces the default message. */
(function () {
  "use strict";
  var WAIT = "Đang xử lý… xin đừng đóng trang.";
  var WAIT_DOWNLOAD = "Đang chuẩn bị tệp… xin đừng đóng trang.";
  var STARTED = "Tệp đã bắt đầu tải về: xem thanh tải xuống của trình duyệt.";
  var SLOW = "Máy chủ chưa trả tệp sau 2 phút. Bạn có thể thử lại hoặc chọn kỳ ngắn hơn.";
  var TIMEOUT_MS = 120000;

  function isBusyForm(form) {
    if (form.hasAttribute("data-busy")) return true;
    var post = (form.getAttribute("method") || "get").toLowerCase() === "post";
    return post && (form.getAttribute("enctype") || "").toLowerCase() === "multipart/form-data";
  }

  function statusFor(owner) {
    var box = owner.busyStatus;
    if (!box) {
      box = document.createElement("div");
      box.className = "busy-status";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      var spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm";
      spinner.setAttribute("aria-hidden", "true");
      var text = document.createElement("span");
      text.className = "busy-text";
      box.appendChild(spinner);
      box.appendChild(text);
      var anchor = owner.tagName === "FORM" ? (owner.querySelector("[type=submit]") || owner.lastChild) : owner;
      if (anchor && anchor.parentNode) anchor.parentNode.insertBefore(box, anchor.nextSibling);
      else owner.appendChild(box);
      owner.busyStatus = box;
    }
    return box;
  }

  function show(owner, message, spinning) {
    var box = statusFor(owner);
    box.hidden = false;
    box.classList.toggle("is-done", !spinning);
    box.querySelector(".spinner-border").hidden = !spinning;
    box.querySelector(".busy-text").textContent = message;
  }

  function buttonsOf(owner) {
    if (owner.tagName !== "FORM") return [owner];
    var list = Array.prototype.slice.call(owner.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]"));
    if (owner.id) {
      list = list.concat(Array.prototype.slice.call(document.querySelectorAll("[form='" + owner.id + "'][type=submit]")));
    }
    return list;
  }

  function setBusy(owner, busy) {
    owner.setAttribute("aria-busy", busy ? "true" : "false");
    buttonsOf(owner).forEach(function (button) {
      if (button.tagName === "A") {
        button.classList.toggle("disabled", busy);
        button.setAttribute("aria-disabled", busy ? "true" : "false");
      } else {
        button.disabled = busy;
      }
    });
  }

  function token() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function cookieName(value) { return "tai_ve_" + value; }

  function hasCookie(name) {
    return document.cookie.split(";").some(function (part) { return part.trim().indexOf(name + "=") === 0; });
  }

  function dropCookie(name) {
    document.cookie = name + "=; Max-Age=0; path=/; SameSite=Lax";
  }

  // A download: wait for the server's "started" cookie, then give the page back.
  function watchDownload(owner, value) {
    var name = cookieName(value);
    var started = Date.now();
    var timer = window.setInterval(function () {
      if (hasCookie(name)) {
        window.clearInterval(timer);
        dropCookie(name);
        setBusy(owner, false);
        show(owner, STARTED, false);
      } else if (Date.now() - started > TIMEOUT_MS) {
        window.clearInterval(timer);
        setBusy(owner, false);
        show(owner, SLOW, false);
      }
    }, 400);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // ask.js (capturing) has already held back a form waiting for its dialog, and app.js
    // (loaded first) a second click.
    if (!(form instanceof HTMLFormElement) || !isBusyForm(form) || event.defaultPrevented) return;
    var download = form.getAttribute("data-busy") === "download";
    var value = download ? token() : "";
    if (download) {
      var field = form.querySelector("input[name=tai_ve]");
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.name = "tai_ve";
        form.appendChild(field);
      }
      field.value = value;
    }
    // Disabled only after the browser has collected the form, so the button's own name
    // and value are still sent.
    window.setTimeout(function () {
      if (event.defaultPrevented) return;
      show(form, form.getAttribute("data-busy-text") || (download ? WAIT_DOWNLOAD : WAIT), true);
      setBusy(form, true);
      if (download) watchDownload(form, value);
    }, 0);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-busy=download]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (link.getAttribute("aria-disabled") === "true") { event.preventDefault(); return; }
    var value = token();
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("tai_ve", value);
    link.href = url.toString();
    show(link, link.getAttribute("data-busy-text") || WAIT_DOWNLOAD, true);
    setBusy(link, true);
    watchDownload(link, value);
  });

  // Coming back with the Back button restores a page from the cache with its buttons
  // still disabled: give them back.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll("[aria-busy=true]"), function (owner) {
      setBusy(owner, false);
      if (owner.busyStatus) owner.busyStatus.hidden = true;
    });
  });
})();
