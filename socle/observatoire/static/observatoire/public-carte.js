/*
 * « Qui l'a déjà fait près de chez moi ? »: the projects' carriers on a map around the chosen
 * collectivité, over the tiles of the settings or its département's outline. An extra: the list under the map names the same projects, nearest first. The
 * map takes the focus, arrows pan, + and − zoom; a marker's popup links to its projects.
 */
(function () {
  "use strict";

  var POINT_STYLE = { radius: 8, color: "#000091", weight: 2, fillColor: "#000091", fillOpacity: 0.5 };
  var CENTRE_STYLE = { radius: 7, color: "#ce0500", weight: 3, fillColor: "#ffffff", fillOpacity: 1 };

  function read(id) {
    var element = id ? document.getElementById(id) : null;
    try {
      return element ? JSON.parse(element.textContent) : null;
    } catch (error) {
      return null;
    }
  }

  function popup(point) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = point.nom;
    box.appendChild(title);
    var list = document.createElement("ul");
    (point.projets || []).forEach(function (projet) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = projet.url;
      link.textContent = projet.titre;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function setUp(element) {
    var L = window.L;
    var points = read(element.dataset.obsPoints) || [];
    var centre = read(element.dataset.obsCentre);
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false, keyboard: true });
    if (element.dataset.tuiles) {
      L.tileLayer(element.dataset.tuiles, {
        attribution: element.dataset.attribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    var contour = null;
    try {
      contour = element.dataset.contour ? JSON.parse(element.dataset.contour) : null;
    } catch (error) {
      contour = null;
    }
    if (contour) {
      // Without tiles, the département's outline tells where the points are.
      L.geoJSON(contour, {
        interactive: false,
        style: { color: "#000091", weight: 2, fillColor: "#000091", fillOpacity: 0.04 },
      }).addTo(map);
    }
    var layer = L.featureGroup().addTo(map);
    if (centre) {
      var here = document.createElement("span");
      here.textContent = centre.nom;
      L.circleMarker([centre.lat, centre.lon], CENTRE_STYLE).bindPopup(here).addTo(layer);
    }
    points.forEach(function (point) {
      L.circleMarker([point.lat, point.lon], POINT_STYLE).bindPopup(popup(point)).addTo(layer);
    });
    if (layer.getLayers().length > 1) {
      map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 12 });
    } else if (centre) {
      map.setView([centre.lat, centre.lon], 10);
    } else {
      map.setView([46.6, 2.4], 5);
    }
  }

  function start() {
    if (typeof window.L === "undefined") return;
    document.querySelectorAll("[data-obs-points]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
