/*
 * The dataset page's map: the points of its first rows, over the tiles of the settings or the
 * collectivité's outline on a blank background. An extra: the preview table and the GeoJSON
 * file say the same without it; the map takes the focus, arrows pan, + and − zoom.
 */
(function () {
  "use strict";

  var FRANCE = [46.6, 2.4];
  var POINT_STYLE = { radius: 6, color: "#000091", weight: 2, fillColor: "#000091", fillOpacity: 0.5 };

  function parse(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return null;
    }
  }

  function setUp(element) {
    var L = window.L;
    var source = document.getElementById(element.dataset.odPoints);
    var points = parse(source ? source.textContent : "") || [];
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false, keyboard: true });
    if (element.dataset.tuiles) {
      L.tileLayer(element.dataset.tuiles, {
        attribution: element.dataset.attribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    var outline = null;
    var contour = parse(element.dataset.contour);
    if (contour) {
      outline = L.geoJSON(contour, {
        interactive: false,
        style: { color: "#000091", weight: 2, fillColor: "#000091", fillOpacity: 0.04 },
      }).addTo(map);
    }
    var layer = L.featureGroup().addTo(map);
    points.forEach(function (p) {
      var label = document.createElement("span");
      label.textContent = p.titre;
      L.circleMarker([p.lat, p.lon], POINT_STYLE).bindPopup(label).addTo(layer);
    });
    if (points.length) {
      map.fitBounds(layer.getBounds(), { padding: [16, 16], maxZoom: 16 });
    } else if (outline && outline.getBounds().isValid()) {
      map.fitBounds(outline.getBounds(), { padding: [8, 8] });
    } else {
      map.setView(FRANCE, 5);
    }
  }

  function start() {
    if (typeof window.L === "undefined") return;
    document.querySelectorAll("[data-od-points]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
