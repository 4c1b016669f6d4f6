// Enhances a map of groups: the list of groups beside it works without it.
//
// #map-markers holds either a list of markers (a challenge's entries: a few hundred at most, each a pin)
// or the group map's clusters for its first view, {zoom, clusters: [[lat, lng, count]], groups: [...]}.
// The group map then asks config.data_url for the clusters and pins of each view as people pan and zoom,
// so every matching group is on the map however many there are.
(function () {
  "use strict";
  // Strings in the page's language from Django's JavaScript catalogue (loaded before this file); English
  // if it did not load.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, count) { return count === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\(\w+\)s/g, function (match) { return String(values[match.slice(2, -2)]); });
  };
  var element = document.getElementById("group-map");
  var dataElement = document.getElementById("map-markers");
  var configElement = document.getElementById("map-config");
  if (!element || !dataElement || !configElement || typeof L === "undefined") {
    return;
  }
  var markers = JSON.parse(dataElement.textContent);
  var config = JSON.parse(configElement.textContent);
  var maxZoom = config.max_zoom || 18;
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false, maxZoom: maxZoom }).setView([54.5, -3.0], 5);
  var notice = document.getElementById("map-notice");
  function showNotice(text) {
    if (notice) {
      notice.textContent = text;
      notice.hidden = false;
    }
  }

  function drawOutline() {
    // Under the pins and clusters, where tiles would be; the outline is a picture, not something to click.
    map.createPane("outline").style.zIndex = 200;
    fetch(config.outline)
      .then(function (response) {
        if (!response.ok) {
          throw new Error("outline " + response.status);
        }
        return response.json();
      })
      .then(function (outline) {
        L.geoJSON(outline, {
          pane: "outline",
          interactive: false,
          style: { color: "#6b8574", weight: 1, fillColor: "#f7f5ee", fillOpacity: 1 }
        }).addTo(map);
      })
      .catch(function () {
        showNotice(gettext("The outline of the map could not load. The groups and the list below still work."));
      });
  }

  if (config.tiles) {
    var failed = 0;
    var tiles = L.tileLayer(config.tiles, { maxZoom: maxZoom, attribution: config.attribution });
    tiles.on("tileerror", function () {
      failed += 1;
      if (failed === 1) {
        showNotice(gettext("The map background could not load. The markers and the list of groups still work."));
      }
    });
    tiles.addTo(map);
  } else if (config.outline) {
    element.classList.add("map-plain", "map-outline");
    drawOutline();
    showNotice(gettext("No map background is configured: groups are shown on an outline of the United Kingdom and Ireland."));
  } else {
    element.classList.add("map-plain");
    showNotice(gettext("No map background is configured: markers are shown on a plain background. The list below names every group on the map."));
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

  function groupMarker(group) {
    var link = document.createElement("a");
    link.href = group.url;
    link.textContent = group.name;
    var place = document.createElement("div");
    place.textContent = group.place_name;
    var popup = document.createElement("div");
    popup.appendChild(link);
    popup.appendChild(place);
    return L.marker([group.latitude, group.longitude], { icon: icon, title: group.name, alt: group.name }).bindPopup(popup);
  }

  function fitTo(positions) {
    if (positions.length > 1) {
      map.fitBounds(positions, { padding: [20, 20], maxZoom: 12, animate: false });
    } else if (positions.length === 1) {
      map.setView(positions[0], 11, { animate: false });
    }
  }

  if (Array.isArray(markers)) {
    markers.forEach(function (group) {
      groupMarker(group).addTo(map);
    });
    fitTo(markers.map(function (group) { return [group.latitude, group.longitude]; }));
    return;
  }

  // --- Clusters ---------------------------------------------------------------------------------------
  var layer = L.layerGroup().addTo(map);
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "en-GB");

  function clusterSize(count) {
    if (count < 10) {
      return ["small", 30];
    }
    if (count < 100) {
      return ["medium", 36];
    }
    if (count < 1000) {
      return ["large", 44];
    }
    return ["huge", 54];
  }

  function clusterLabel(count) {
    return count < 10000 ? numbers.format(count) : numbers.format(Math.round(count / 1000)) + "k";
  }

  function clusterMarker(cluster) {
    var position = L.latLng(cluster[0], cluster[1]);
    var count = cluster[2];
    var size = clusterSize(count);
    var label = document.createElement("span");
    label.textContent = clusterLabel(count);
    var title = interpolate(ngettext("%(count)s group here", "%(count)s groups here", count), { count: numbers.format(count) }, true);
    var marker = L.marker(position, {
      icon: L.divIcon({ html: label, className: "map-cluster map-cluster-" + size[0], iconSize: [size[1], size[1]] }),
      title: map.getZoom() < maxZoom ? interpolate(gettext("%(groups)s: zoom in to see them"), { groups: title }, true) : title,
      alt: title
    });
    if (map.getZoom() < maxZoom) {
      marker.on("click", function () {
        map.setView(position, Math.min(map.getZoom() + 2, maxZoom));
      });
    } else {
      // At the closest zoom these groups share one spot: the list names them.
      var popup = document.createElement("div");
      popup.textContent = title + ". ";
      if (config.list_url) {
        var link = document.createElement("a");
        link.href = config.list_url;
        link.textContent = gettext("See them in the list");
        popup.appendChild(link);
      }
      marker.bindPopup(popup);
    }
    marker.on("add", function () {
      var markerElement = marker.getElement();
      markerElement.setAttribute("role", "button");
      markerElement.setAttribute("aria-label", title);
    });
    return marker;
  }

  function render(data) {
    layer.clearLayers();
    data.clusters.forEach(function (cluster) {
      layer.addLayer(clusterMarker(cluster));
    });
    data.groups.forEach(function (group) {
      layer.addLayer(groupMarker(group));
    });
  }

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  function viewUrl() {
    // A quarter of a view more on every side, so a short pan needs no new request.
    var bounds = map.getBounds().pad(0.25);
    var bbox = [
      clamp(bounds.getWest(), -180, 180),
      clamp(bounds.getSouth(), -90, 90),
      clamp(bounds.getEast(), -180, 180),
      clamp(bounds.getNorth(), -90, 90)
    ].map(function (value) { return value.toFixed(3); });
    var separator = config.data_url.indexOf("?") === -1 ? "?" : "&";
    return config.data_url + separator + "zoom=" + map.getZoom() + "&bbox=" + bbox.join(",");
  }

  var loaded = {};
  var pending = null;
  function refresh() {
    var url = viewUrl();
    if (loaded[url]) {
      render(loaded[url]);
      return;
    }
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    element.setAttribute("aria-busy", "true");
    fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("map data " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        loaded[url] = data;
        element.removeAttribute("aria-busy");
        if (url === viewUrl()) {
          render(data);
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          element.removeAttribute("aria-busy");
          showNotice(gettext("The map could not load the groups for this view. The list below still works."));
        }
      });
  }

  render(markers);
  var positions = markers.clusters.map(function (cluster) { return [cluster[0], cluster[1]]; }).concat(
    markers.groups.map(function (group) { return [group.latitude, group.longitude]; })
  );
  fitTo(positions);
  // The embedded clusters are every group at their zoom; any other zoom asks for its own.
  if (config.data_url) {
    if (map.getZoom() !== markers.zoom) {
      refresh();
    }
    map.on("moveend", refresh);
  }
})();
