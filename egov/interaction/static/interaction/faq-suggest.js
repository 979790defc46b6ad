/* Similar questions while a letter is typed (decision 0023): what the writer has typed in
   the subject and the text is sent, after a pause, to the FAQ's suggestion address; the
   HTML fragment it returns replaces the list, and its one-line status is read out through a
   polite live region. Without this script the form's "Check similar questions first" button
   does the same on the server. */
(function () {
  "use strict";
  var box = document.querySelector("[data-faq-suggest]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-faq-suggest");
  var form = box.closest("form");
  var subject = form.querySelector("[name=subject]");
  var text = form.querySelector("[name=text]");
  var list = box.querySelector("[data-faq-list]");
  var status = form.querySelector("[data-faq-live]");
  var timer = null;
  var last = null;
  var controller = null;

  function typed() {
    return ((subject ? subject.value : "") + " " + (text ? text.value : "")).trim().slice(0, 300);
  }

  function show(html) {
    list.innerHTML = html;
    var line = list.querySelector("[data-faq-status]");
    var said = line ? line.textContent.trim() : "";
    if (status.textContent !== said) { status.textContent = said; }
    box.hidden = !list.querySelector("li") && !said;
  }

  function ask() {
    var q = typed();
    if (q === last) { return; }
    last = q;
    if (q.length < 2) { show(""); return; }
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin",
      headers: { "Accept": "text/html" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(show).catch(function () { /* typing on: the next pause asks again */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 400);
  }

  [subject, text].forEach(function (field) {
    if (field) { field.addEventListener("input", later); }
  });
  if (typed()) { later(); }
})();
