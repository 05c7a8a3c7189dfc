/*
 * The back office's map of reports: one point per report of the filtered queue, each linking to
 * the report's page. Tiles when the platform has a tile server (data-tuiles), otherwise only the
 * outline of the member's territory. The list under the map says the same, for everyone.
 */
(function () {
  "use strict";

  function parse(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return null;
    }
  }

  function setUp(element) {
    if (typeof window.L === "undefined") return;
    var L = window.L;
    var source = document.getElementById(element.dataset.points);
    var points = source ? parse(source.textContent) || [] : [];
    var outline = parse(element.dataset.contour);
    element.hidden = false;
    var map = L.map(element, { zoomSnap: 0.25 });
    // The view first: Leaflet draws vector layers only on a map that has one.
    var bounds = null;
    var territory = outline
      ? L.geoJSON(outline, {
          interactive: false,
          style: { color: "#000091", weight: 2, fillColor: "#000091", fillOpacity: 0.05 },
        })
      : null;
    if (territory) bounds = territory.getBounds();
    var latlngs = points.map(function (point) {
      return [point.lat, point.lon];
    });
    if (latlngs.length) {
      var pointsBounds = L.latLngBounds(latlngs);
      bounds = bounds && bounds.isValid() ? bounds.extend(pointsBounds) : pointsBounds;
    }
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12], maxZoom: 16 });
    } else {
      map.setView([46.6, 2.4], 5);
    }
    if (element.dataset.tuiles) {
      L.tileLayer(element.dataset.tuiles, {
        attribution: element.dataset.attribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    if (territory) territory.addTo(map);
    points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: 8,
        color: "#e1000f",
        weight: 2,
        fillOpacity: 0.6,
      });
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.reference + " — " + point.categorie + " (" + point.statut + ")";
      marker.bindPopup(link);
      marker.addTo(map);
    });
  }

  function start() {
    document.querySelectorAll("[data-signalements-carte]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
