// Reload a page that says it is waiting (an import job's progress): no inline script, for CSP.
"use strict";
(function () {
  var waiting = document.querySelector("[data-reload-seconds]");
  if (waiting) {
    var seconds = Number(waiting.getAttribute("data-reload-seconds")) || 2;
    setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
