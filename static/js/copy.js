/* "Copy" buttons next to read-only fields (share links): select the field and copy it. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.copyTarget);
      field.select();
      if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value);
      } else {
        document.execCommand("copy");
      }
      button.textContent = button.dataset.copied || "✓";
    });
  });
})();
