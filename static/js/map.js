// Enhances the group map: the list of groups below works without it.
(function () {
  "use strict";
  var element = document.getElementById("group-map");
  var dataElement = document.getElementById("map-markers");
  var configElement = document.getElementById("map-config");
  if (!element || !dataElement || !configElement || typeof L === "undefined") {
    return;
  }
  var markers = JSON.parse(dataElement.textContent);
  var config = JSON.parse(configElement.textContent);
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false }).setView([54.5, -3.0], 5);
  var notice = document.getElementById("map-notice");
  function showNotice(text) {
    if (notice) {
      notice.textContent = text;
      notice.hidden = false;
    }
  }
  if (config.tiles) {
    var failed = 0;
    var layer = L.tileLayer(config.tiles, { maxZoom: 18, attribution: config.attribution });
    layer.on("tileerror", function () {
      failed += 1;
      if (failed === 1) {
        showNotice("The map background could not load. The markers and the list of groups still work.");
      }
    });
    layer.addTo(map);
  } else {
    element.classList.add("map-plain");
    showNotice("No map background is configured: markers are shown on a plain background. The list below names every group on the map.");
  }
  var icon = L.icon({
    iconUrl: config.icon,
    iconRetinaUrl: config.icon2x,
    shadowUrl: config.shadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    shadowSize: [41, 41]
  });
  var bounds = [];
  markers.forEach(function (group) {
    var position = [group.latitude, group.longitude];
    bounds.push(position);
    var link = document.createElement("a");
    link.href = group.url;
    link.textContent = group.name;
    var place = document.createElement("div");
    place.textContent = group.place_name;
    var popup = document.createElement("div");
    popup.appendChild(link);
    popup.appendChild(place);
    L.marker(position, { icon: icon, title: group.name, alt: group.name }).bindPopup(popup).addTo(map);
  });
  if (bounds.length > 1) {
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
  } else if (bounds.length === 1) {
    map.setView(bounds[0], 11);
  }
})();
