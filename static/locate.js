// "Use my location" beside each search form's place field: asks the browser (never a third
// party) for the device's position and types it as "lat, lon" into the field, rounded to four
// decimals (about 11 m). The visitor still presses Search. Without JavaScript, or where the
// browser cannot locate (no geolocation, or a page not served over HTTPS), there is no button.
"use strict";
(function () {
  if (!("geolocation" in navigator) || !window.isSecureContext) {
    return;
  }
  var MESSAGES = {
    1: "Your browser did not allow this site to know your location. Type a ZIP code or town instead.",
    2: "Your location is not available right now. Type a ZIP code or town instead.",
    3: "Finding your location took too long. Try again, or type a ZIP code or town."
  };

  function addButton(near) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "locate";
    button.textContent = "Use my location";
    var status = document.createElement("p");
    status.className = "locate-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    near.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);

    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = "Finding your location…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          near.value = position.coords.latitude.toFixed(4) + ", " + position.coords.longitude.toFixed(4);
          status.textContent = "Your location is filled in. Press Search.";
          button.disabled = false;
          near.focus();
        },
        function (error) {
          status.textContent = MESSAGES[error.code] || MESSAGES[2];
          button.disabled = false;
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  }

  document.querySelectorAll("form.search").forEach(function (form) {
    var near = form.querySelector("input[name=near]");
    if (near) {
      addButton(near);
    }
  });
})();
