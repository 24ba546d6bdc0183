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
