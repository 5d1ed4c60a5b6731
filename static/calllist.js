// The call list's Print button: shown only when scripts run (no inline script, for CSP).
"use strict";
(function () {
  var button = document.querySelector("[data-print]");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
})();
