/*
 * The citizen's report pages, enhanced: the map that fills the hidden lat/lon fields, « Ma
 * position », the address search through our server, the categories and duplicates refreshed
 * when the point or the category changes, the description's counter; and the small maps of
 * the tracking page and the list.
 *
 * Everything here is an extra: the form works without it (each step is a submit), and with the
 * keyboard (the map takes the focus, arrows pan, + and − zoom, Enter places the point under the
 * cross at the centre).
 */
(function () {
  "use strict";

  var FRANCE = [46.6, 2.4];
  var POINT_STYLE = { radius: 9, color: "#e1000f", weight: 3, fillColor: "#e1000f", fillOpacity: 0.4 };

  function parse(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return null;
    }
  }

  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  // A map with the tiles of the settings, or the territory's outline on a blank background.
  function baseMap(element, options) {
    var L = window.L;
    var map = L.map(element, options || {});
    var outline = null;
    if (element.dataset.tuiles) {
      L.tileLayer(element.dataset.tuiles, {
        attribution: element.dataset.attribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    var contour = parse(element.dataset.contour);
    if (contour) {
      outline = L.geoJSON(contour, {
        interactive: false,
        style: { color: "#000091", weight: 2, fillColor: "#000091", fillOpacity: 0.04 },
      }).addTo(map);
    }
    return { map: map, outline: outline };
  }

  function fitOutline(made, fallbackCentre, fallbackZoom) {
    if (made.outline && made.outline.getBounds().isValid()) {
      made.map.fitBounds(made.outline.getBounds(), { padding: [8, 8] });
    } else {
      made.map.setView(fallbackCentre, fallbackZoom);
    }
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
      function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      }
    );
  }

  function query(params) {
    return Object.keys(params)
      .map(function (key) {
        return encodeURIComponent(key) + "=" + encodeURIComponent(params[key]);
      })
      .join("&");
  }

  // --- The report form ---------------------------------------------------------------------

  function setUpForm(form) {
    var L = window.L;
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    var adresse = form.querySelector("input[name=adresse]");
    var approchee = form.querySelector("input[name=approchee]");
    var status = form.querySelector("[data-point-etat]");
    var categories = form.querySelector("[data-categories]");
    var doublons = form.querySelector("[data-doublons]");
    var recherche = form.querySelector("input[name=recherche]");
    var results = form.querySelector("[data-adresses-resultats]");
    var marker = null;
    var made = null;

    function currentCategory() {
      var checked = form.querySelector("input[name=categorie]:checked");
      return checked ? checked.value : "";
    }

    function refreshDoublons() {
      var code = currentCategory();
      if (!code || !lat.value || !lon.value) {
        doublons.innerHTML = "";
        return;
      }
      var url = form.dataset.prochesUrl + "?" + query({ lat: lat.value, lon: lon.value, categorie: code });
      getJSON(url).then(function (answer) {
        if (answer.ok) doublons.innerHTML = answer.body.html;
      });
    }

    function bindCategories() {
      categories.querySelectorAll("input[name=categorie]").forEach(function (radio) {
        radio.addEventListener("change", refreshDoublons);
      });
    }

    function refreshCategories() {
      var chosen = currentCategory();
      var url = form.dataset.categoriesUrl + "?" + query({ lat: lat.value, lon: lon.value });
      getJSON(url).then(function (answer) {
        if (!answer.ok) return;
        categories.innerHTML = answer.body.html;
        if (chosen) {
          var again = categories.querySelector("input[name=categorie][value='" + CSS.escape(chosen) + "']");
          if (again) again.checked = true;
        }
        bindCategories();
        refreshDoublons();
      });
    }

    function showPoint(latValue, lonValue) {
      if (!made) return;
      var latlng = [latValue, lonValue];
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.circleMarker(latlng, POINT_STYLE).addTo(made.map);
      }
    }

    function setPoint(latValue, lonValue, label, message) {
      lat.value = String(round(latValue));
      lon.value = String(round(lonValue));
      adresse.value = label || "";
      approchee.value = "";
      showPoint(latValue, lonValue);
      status.textContent = message;
      refreshCategories();
    }

    // The map, when Leaflet is there.
    var element = form.querySelector("[data-carte]");
    if (element && typeof L !== "undefined") {
      form.querySelector("[data-carte-bloc]").hidden = false;
      made = baseMap(element, { doubleClickZoom: false, zoomSnap: 0.5 });
      // For the browser tests, which click at a place they name by its coordinates.
      element.signalerMap = made.map;
      var centreLat = parseFloat(element.dataset.centreLat);
      var centreLon = parseFloat(element.dataset.centreLon);
      var centre = isNaN(centreLat) ? FRANCE : [centreLat, centreLon];
      if (lat.value && lon.value) {
        made.map.setView([parseFloat(lat.value), parseFloat(lon.value)], 16);
        showPoint(parseFloat(lat.value), parseFloat(lon.value));
      } else {
        fitOutline(made, centre, isNaN(centreLat) ? 5 : 12);
      }
      made.map.on("click", function (event) {
        setPoint(event.latlng.lat, event.latlng.lng, "", status.dataset.textePlace);
      });
      element.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && event.target === element) {
          event.preventDefault();
          var middle = made.map.getCenter();
          setPoint(middle.lat, middle.lng, "", status.dataset.textePlace);
        }
      });
      var here = form.querySelector("[data-ma-position]");
      if (!navigator.geolocation) {
        here.hidden = true;
      }
      here.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(
          function (position) {
            var c = position.coords;
            made.map.setView([c.latitude, c.longitude], 17);
            setPoint(c.latitude, c.longitude, "", status.dataset.textePosition);
          },
          function () {
            status.textContent = status.dataset.texteErreurPosition;
          },
          { enableHighAccuracy: true, timeout: 15000 }
        );
      });
    }

    // The address search, through our server, without leaving the page.
    var search = form.querySelector("[data-chercher]");
    search.addEventListener("click", function (event) {
      var text = recherche.value.trim();
      if (text.length < 3) return;
      event.preventDefault();
      var params = { q: text };
      if (lat.value && lon.value) {
        params.lat = lat.value;
        params.lon = lon.value;
      }
      getJSON(form.dataset.adressesUrl + "?" + query(params)).then(
        function (answer) {
          results.innerHTML = "";
          var found = answer.body.resultats || [];
          if (!found.length) {
            var none = document.createElement("li");
            none.textContent = answer.body.erreur || results.dataset.texteAucune;
            results.appendChild(none);
            return;
          }
          found.forEach(function (place) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "link-button";
            button.textContent = place.label;
            button.addEventListener("click", function () {
              recherche.value = "";
              results.innerHTML = "";
              if (made) made.map.setView([place.lat, place.lon], 17);
              setPoint(place.lat, place.lon, place.label, place.label);
            });
            item.appendChild(button);
            results.appendChild(item);
          });
          results.querySelector("button").focus();
        },
        function () {
          results.innerHTML = "";
        }
      );
    });

    // The description's counter.
    var textarea = form.querySelector("textarea[data-compteur-max]");
    var counter = form.querySelector("[data-compteur]");
    if (textarea && counter) {
      var max = parseInt(textarea.dataset.compteurMax, 10);
      var update = function () {
        counter.textContent = counter.dataset.texte.replace("%(n)s", String(max - textarea.value.length));
      };
      textarea.addEventListener("input", update);
      update();
    }

    bindCategories();
  }

  // --- The tracking page's small map and the list's map ---------------------------------------

  function setUpMini(element) {
    var L = window.L;
    element.hidden = false;
    var made = baseMap(element, { zoomControl: true, scrollWheelZoom: false, keyboard: true });
    var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    if (element.dataset.tuiles) {
      made.map.setView(point, 17);
    } else {
      fitOutline(made, point, 14);
    }
    L.circleMarker(point, POINT_STYLE).addTo(made.map);
  }

  function setUpList(element) {
    var L = window.L;
    var source = document.getElementById(element.dataset.cartePoints);
    var points = parse(source ? source.textContent : "") || [];
    element.hidden = false;
    var made = baseMap(element, { scrollWheelZoom: false });
    var layer = L.featureGroup().addTo(made.map);
    points.forEach(function (p) {
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.titre;
      L.circleMarker([p.lat, p.lon], POINT_STYLE).bindPopup(link).addTo(layer);
    });
    if (points.length) {
      made.map.fitBounds(layer.getBounds(), { padding: [16, 16], maxZoom: 16 });
    } else {
      fitOutline(made, FRANCE, 5);
    }
  }

  function start() {
    document.querySelectorAll("[data-signaler]").forEach(setUpForm);
    if (typeof window.L === "undefined") return;
    document.querySelectorAll("[data-carte-mini]").forEach(setUpMini);
    document.querySelectorAll("[data-carte-points]").forEach(setUpList);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
