/*
 * The coherence view's map: one point per member of the territory, its popup naming the member
 * and where its roadmap stands, linking to its column. Tiles when the platform has a tile server
 * (data-tuiles); without them the points alone. The list under the map says the same.
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
    if (!points.length) return;
    element.hidden = false;
    var map = L.map(element, { zoomSnap: 0.25 });
    var bounds = L.latLngBounds(
      points.map(function (point) {
        return [point.lat, point.lon];
      })
    );
    // The view first: Leaflet draws vector layers only on a map that has one.
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 11 });
    if (element.dataset.tuiles) {
      L.tileLayer(element.dataset.tuiles, {
        attribution: element.dataset.attribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    points.forEach(function (point) {
      var withRoadmap = Boolean(point.ancre);
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: withRoadmap ? 9 : 6,
        color: withRoadmap ? "#000091" : "#6a6a6a",
        weight: 2,
        dashArray: withRoadmap ? null : "3 3",
        fillOpacity: withRoadmap ? 0.6 : 0.2,
      });
      var content = document.createElement("p");
      var name;
      if (withRoadmap) {
        name = document.createElement("a");
        name.href = point.ancre;
      } else {
        name = document.createElement("strong");
      }
      name.textContent = point.nom;
      content.appendChild(name);
      content.appendChild(document.createElement("br"));
      content.appendChild(document.createTextNode(point.etat));
      marker.bindPopup(content);
      marker.addTo(map);
    });
  }

  function start() {
    document.querySelectorAll("[data-coherence-carte]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
