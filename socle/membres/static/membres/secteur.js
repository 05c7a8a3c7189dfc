/*
 * Draw a service's sector on the outline of the member's territory (no map tiles).
 *
 * Each click on the map adds a vertex; « Retirer le dernier point » and « Effacer le tracé »
 * undo. From three vertices on, the GeoJSON textarea holds the polygon: the textarea stays the
 * form's real field, so the form works the same without JavaScript, and with the keyboard
 * (type or paste GeoJSON there: the map follows).
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

  // The vertices [lon, lat] of a GeoJSON polygon with one ring, without the closing point.
  function ringOf(geojson) {
    if (!geojson) return null;
    if (geojson.type === "Feature") geojson = geojson.geometry;
    if (!geojson || geojson.type !== "Polygon" || geojson.coordinates.length !== 1) return null;
    var ring = geojson.coordinates[0].slice();
    if (ring.length > 1) {
      var first = ring[0];
      var last = ring[ring.length - 1];
      if (first[0] === last[0] && first[1] === last[1]) ring.pop();
    }
    return ring;
  }

  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function setUp(editor) {
    var target = document.getElementById(editor.dataset.cible);
    var element = editor.querySelector("[data-secteur-carte]");
    var status = editor.querySelector("[data-secteur-etat]");
    var outline = parse(element.dataset.contour);
    if (!target || !outline || typeof window.L === "undefined") return;
    var L = window.L;
    editor.hidden = false;

    var map = L.map(element, { zoomSnap: 0.25, doubleClickZoom: false });
    var territory = L.geoJSON(outline, {
      interactive: false,
      style: { color: "#000091", weight: 2, fillColor: "#000091", fillOpacity: 0.05 },
    }).addTo(map);
    map.fitBounds(territory.getBounds(), { padding: [8, 8] });

    var current = parse(element.dataset.secteur);
    if (current) {
      L.geoJSON(current, {
        interactive: false,
        style: { color: "#666", weight: 1, dashArray: "4 4", fillOpacity: 0.1 },
      }).addTo(map);
    }

    var points = [];
    var drawing = L.layerGroup().addTo(map);

    function describe() {
      var n = points.length;
      var text = n === 0 ? status.dataset.vide : n < 3 ? status.dataset.points : status.dataset.polygone;
      status.textContent = text.replace("%(n)s", String(n));
    }

    function redraw() {
      drawing.clearLayers();
      var latlngs = points.map(function (p) {
        return [p[1], p[0]];
      });
      if (latlngs.length >= 3) {
        L.polygon(latlngs, { color: "#e1000f", weight: 2, interactive: false }).addTo(drawing);
      } else if (latlngs.length === 2) {
        L.polyline(latlngs, { color: "#e1000f", weight: 2, interactive: false }).addTo(drawing);
      }
      latlngs.forEach(function (latlng) {
        L.circleMarker(latlng, { radius: 4, color: "#e1000f", interactive: false }).addTo(drawing);
      });
      describe();
    }

    function fill() {
      if (points.length >= 3) {
        var ring = points.concat([points[0]]);
        target.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      } else {
        target.value = "";
      }
    }

    function load() {
      var ring = ringOf(parse(target.value.trim()));
      points = ring || [];
      redraw();
    }

    map.on("click", function (event) {
      points.push([round(event.latlng.lng), round(event.latlng.lat)]);
      fill();
      redraw();
    });
    editor.querySelector("[data-secteur-annuler]").addEventListener("click", function () {
      points.pop();
      fill();
      redraw();
    });
    editor.querySelector("[data-secteur-effacer]").addEventListener("click", function () {
      points = [];
      fill();
      redraw();
    });
    target.addEventListener("input", load);
    load();
  }

  function start() {
    document.querySelectorAll("[data-secteur-editeur]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
