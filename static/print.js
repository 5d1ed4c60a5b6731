// The printable list's "Print" button: shown only when this script runs (without it, the
// browser's own Print does the same), and no inline script, for CSP.
"use strict";
(function () {
  var buttons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
