// Switchboard front-end glue. Loaded after htmx; no inline scripts (the CSP
// allows only 'self').
(function () {
  "use strict";
  // Confirm dangerous actions: <button data-confirm="Delete this key?">.
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
  }, true);
  // Dismissible flash messages.
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-dismiss]");
    if (el) {
      var box = el.closest("[data-flash]");
      if (box) box.remove();
    }
  });
  // Copy-to-clipboard buttons: <button data-copy="#key">.
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-copy]");
    if (!el) return;
    var src = document.querySelector(el.getAttribute("data-copy"));
    if (src && navigator.clipboard) {
      navigator.clipboard.writeText(src.textContent.trim());
      el.textContent = "Copied";
    }
  });
})();
// htmx does not swap error answers (only 422 validation answers are
// swapped); show the server's message as a flash instead.
document.addEventListener("htmx:responseError", function (ev) {
  var xhr = ev.detail.xhr;
  var msg = (xhr && xhr.getResponseHeader("X-Switchboard-Error")) || "The request failed (" + (xhr ? xhr.status : "network") + "). Try again.";
  var box = document.getElementById("flashes");
  if (!box) return;
  var div = document.createElement("div");
  div.setAttribute("data-flash", "");
  div.setAttribute("role", "alert");
  div.className = "mb-4 flex items-start justify-between gap-4 rounded-md border px-4 py-3 text-sm border-red-200 bg-red-50 text-red-900";
  var span = document.createElement("span");
  span.textContent = msg;
  var btn = document.createElement("button");
  btn.type = "button";
  btn.setAttribute("data-dismiss", "");
  btn.setAttribute("aria-label", "Dismiss");
  btn.textContent = "×";
  div.appendChild(span);
  div.appendChild(btn);
  box.appendChild(div);
});
document.addEventListener("htmx:sendError", function () {
  var box = document.getElementById("flashes");
  if (!box) return;
  var div = document.createElement("div");
  div.setAttribute("data-flash", "");
  div.className = "mb-4 rounded-md border px-4 py-3 text-sm border-red-200 bg-red-50 text-red-900";
  div.textContent = "Switchboard could not be reached. Check your connection and try again.";
  box.appendChild(div);
});
// Live parts ([data-live], polled by htmx) do not poll while the tab is
// hidden, and refresh at once when it is shown again.
document.addEventListener("htmx:beforeRequest", function (ev) {
  var elt = ev.detail && ev.detail.elt;
  if (document.hidden && elt && elt.hasAttribute && elt.hasAttribute("data-live")) ev.preventDefault();
});
document.addEventListener("visibilitychange", function () {
  if (!document.hidden && window.htmx) window.htmx.trigger(document.body, "sb:visible");
});
