// "Use my location" beside each search form's place field: asks the browser (never a third
// party) for the device's position and types it as "lat, lon" into the field, rounded to four
// decimals (about 11 m). The visitor still presses Search. Without JavaScript, or where the
// browser cannot locate (no geolocation, or a page not served over HTTPS), there is no button.
// Its words come from the form's data-locate* attributes, in the page's language (no inline
// script, for CSP); English when one is missing.
"use strict";
(function () {
  if (!("geolocation" in navigator) || !window.isSecureContext) {
    return;
  }
  var ENGLISH = {
    locate: "Use my location",
    locating: "Finding your location…",
    located: "Your location is filled in. Press Search.",
    locateDenied: "Your browser did not allow this site to know your location. Type a ZIP code or town instead.",
    locateUnavailable: "Your location is not available right now. Type a ZIP code or town instead.",
    locateTimeout: "Finding your location took too long. Try again, or type a ZIP code or town."
  };

  function wordsOf(form) {
    var words = {};
    Object.keys(ENGLISH).forEach(function (key) {
      words[key] = form.dataset[key] || ENGLISH[key];
    });
    return words;
  }

  function addButton(near, words) {
    var MESSAGES = { 1: words.locateDenied, 2: words.locateUnavailable, 3: words.locateTimeout };
    var button = document.createElement("button");
    button.type = "button";
    button.className = "locate";
    button.textContent = words.locate;
    var status = document.createElement("p");
    status.className = "locate-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    near.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);

    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = words.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          near.value = position.coords.latitude.toFixed(4) + ", " + position.coords.longitude.toFixed(4);
          status.textContent = words.located;
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
      addButton(near, wordsOf(form));
    }
  });
})();
