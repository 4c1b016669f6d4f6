// "Use my location" on the near-me page: fills the hidden latitude/longitude fields and searches.
// Without JavaScript (or without geolocation) the button stays hidden and the place box does the job.
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };
  var form = document.getElementById("nearby-form");
  var wrapper = document.getElementById("use-location");
  if (!form || !wrapper || !("geolocation" in navigator)) {
    return;
  }
  var button = document.getElementById("use-location-button");
  var status = document.getElementById("use-location-status");
  wrapper.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = gettext("Finding your location…");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.latitude.value = position.coords.latitude.toFixed(5);
        form.elements.longitude.value = position.coords.longitude.toFixed(5);
        form.elements.place.value = "";
        form.submit();
      },
      function () {
        status.textContent = gettext("We could not get your location. Type a postcode or a place instead.");
        button.disabled = false;
      },
      { timeout: 10000, maximumAge: 600000 }
    );
  });
})();
