/* Small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  // The language <select> submits its form on change (the button stays for no-JS users).
  document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Filter a long checkbox list of codes by code, label or synonym. Each <li> carries
  // its search text in data-search (labels and synonyms in Chinese and English).
  document.querySelectorAll("input.code-filter").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("aria-controls"));
    if (!list) { return; }
    var status = document.getElementById(box.id + "-status");
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      var shown = 0;
      list.querySelectorAll("li").forEach(function (item) {
        var input = item.querySelector("input");
        var match = !needle || (item.dataset.search || "").indexOf(needle) !== -1 ||
          (input && input.checked);
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (status) { status.textContent = String(shown); }
    });
  });

  // Buttons that need a second thought (sign, revoke) ask before submitting.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
})();
