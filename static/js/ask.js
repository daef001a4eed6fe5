/* A simple irreversible action (deleting a line, closing a campaign) asks in the page
   before its form is sent: <form data-ask="Question?" data-ask-yes="Xóa">. The question
   shows in a <dialog> with two buttons; only "yes" sends the form. The browser's own
   boxes are never used. Forms that pay or apply something use the server's review step
   instead (lddh/ward/review.py), which checks the form before asking.

   Registered in the capture phase, so the form is held back before app.js marks a
   data-once form as sent and before busy.js disables its buttons. */
(function () {
  "use strict";
  var dialog = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "ask-dialog";
    dialog.setAttribute("aria-labelledby", "ask-question");
    var form = document.createElement("form");
    form.method = "dialog";
    var question = document.createElement("p");
    question.id = "ask-question";
    question.className = "ask-question";
    var buttons = document.createElement("div");
    buttons.className = "d-flex flex-wrap gap-2 justify-content-end";
    var back = document.createElement("button");
    back.className = "btn btn-outline-secondary";
    back.value = "back";
    back.textContent = "Quay lại";
    var yes = document.createElement("button");
    yes.className = "btn btn-danger ask-yes";
    yes.value = "yes";
    buttons.appendChild(back);
    buttons.appendChild(yes);
    form.appendChild(question);
    form.appendChild(buttons);
    dialog.appendChild(form);
    document.body.appendChild(dialog);
    return dialog;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-ask")) return;
    if (form.dataset.answered === "1") return;  // the dialog said yes: let it go
    event.preventDefault();
    event.stopImmediatePropagation();
    var box = dialog || build();
    if (box.open) return;
    box.querySelector(".ask-question").textContent = form.getAttribute("data-ask");
    box.querySelector(".ask-yes").textContent = form.getAttribute("data-ask-yes") || "Xác nhận";
    var submitter = event.submitter || null;
    box.returnValue = "";
    box.addEventListener("close", function answered() {
      box.removeEventListener("close", answered);
      if (box.returnValue !== "yes") return;
      form.dataset.answered = "1";
      try {
        if (submitter && form.requestSubmit) form.requestSubmit(submitter);
        else if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      } finally {
        form.dataset.answered = "";
      }
    });
    box.showModal();
    box.querySelector(".btn-outline-secondary").focus();
  }, true);
})();
