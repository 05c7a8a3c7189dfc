/*
 * A procedure's form, enhanced: autosave of the page as a draft (a couple of seconds after each
 * change, and when the page is left), fields shown or hidden by their condition, the address
 * search through our server with a small map of the point.
 *
 * Everything here is an extra: without it each page is saved by its buttons, every conditional
 * field is shown with a note saying when to fill it, and an address is typed in plain fields
 * that the server geocodes.
 */
(function () {
  "use strict";

  var DELAY = 2000;

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The page's fields as posted, without files (they go with the page's own buttons).
  function draftData(form) {
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      data.delete(input.name);
    });
    data.delete("action");
    return data;
  }

  function setUpAutosave(form) {
    var url = form.dataset.brouillonUrl;
    var status = form.querySelector("[data-brouillon-etat]");
    var timer = null;
    var dirty = false;
    var sending = false;

    function save() {
      timer = null;
      if (!dirty || sending) return;
      dirty = false;
      sending = true;
      fetch(url, {
        method: "POST",
        body: draftData(form),
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(form), Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (body) {
            if (response.ok && body.message && status) status.textContent = body.message;
          });
        })
        .catch(function () {
          dirty = true;
        })
        .then(function () {
          sending = false;
        });
    }

    function changed(event) {
      if (event.target && event.target.type === "file") return;
      dirty = true;
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, DELAY);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // Submitting saves the page itself: nothing left to autosave.
    form.addEventListener("submit", function () {
      dirty = false;
      if (timer) window.clearTimeout(timer);
    });
    window.addEventListener("pagehide", function () {
      if (!dirty || !navigator.sendBeacon) return;
      dirty = false;
      // The token travels in the body (csrfmiddlewaretoken): a beacon sets no header.
      navigator.sendBeacon(url, draftData(form));
    });
  }

  // --- Conditions ----------------------------------------------------------------------------

  function answerOf(form, name) {
    var inputs = form.querySelectorAll("[name='" + CSS.escape(name) + "']");
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.value);
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    return { found: inputs.length > 0, values: values };
  }

  function setUpConditions(form) {
    var wrappers = form.querySelectorAll("[data-condition-champ]");
    if (!wrappers.length) return;
    function apply() {
      wrappers.forEach(function (wrapper) {
        var answer = answerOf(form, wrapper.dataset.conditionChamp);
        // A condition on another page's answer: the server decides, keep it shown.
        if (!answer.found) return;
        wrapper.hidden = answer.values.indexOf(wrapper.dataset.conditionValeur) === -1;
        var note = wrapper.querySelector(".demarche-condition");
        if (note) note.hidden = true;
      });
    }
    form.addEventListener("change", apply);
    apply();
  }

  // --- Address ---------------------------------------------------------------------------------

  function setUpAddress(form, fieldset) {
    var url = form.dataset.adressesUrl;
    var box = fieldset.querySelector("[data-adresse-recherche]");
    var input = box.querySelector("input[type=search]");
    var button = box.querySelector("[data-adresse-chercher]");
    var list = box.querySelector("[data-adresse-suggestions]");
    var parts = {};
    fieldset.querySelectorAll("[data-partie]").forEach(function (element) {
      parts[element.dataset.partie] = element;
    });
    var mapElement = fieldset.querySelector("[data-carte-adresse]");
    var map = null;
    var marker = null;
    box.hidden = false;

    function showPoint() {
      if (!mapElement || typeof window.L === "undefined") return;
      var lat = parseFloat(parts.lat.value);
      var lon = parseFloat(parts.lon.value);
      if (isNaN(lat) || isNaN(lon)) {
        mapElement.hidden = true;
        return;
      }
      mapElement.hidden = false;
      if (!map) {
        map = window.L.map(mapElement, { scrollWheelZoom: false, keyboard: true });
        window.L.tileLayer(mapElement.dataset.tuiles, {
          attribution: mapElement.dataset.attribution || "",
          maxZoom: 19,
        }).addTo(map);
      }
      map.setView([lat, lon], 17);
      if (marker) marker.setLatLng([lat, lon]);
      else marker = window.L.circleMarker([lat, lon], { radius: 9, color: "#e1000f", weight: 3 }).addTo(map);
    }

    function choose(place) {
      ["label", "voie", "code_postal", "commune", "commune_code", "lat", "lon"].forEach(function (key) {
        if (parts[key]) parts[key].value = place[key] === undefined || place[key] === null ? "" : String(place[key]);
      });
      list.innerHTML = "";
      input.value = "";
      showPoint();
      parts.voie.focus();
      form.dispatchEvent(new Event("change"));
    }

    function search() {
      var text = input.value.trim();
      if (text.length < 3) return;
      fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (body) {
          list.innerHTML = "";
          var found = body.resultats || [];
          if (!found.length) {
            var none = document.createElement("li");
            none.textContent = body.erreur || list.dataset.texteAucune;
            list.appendChild(none);
            return;
          }
          found.forEach(function (place) {
            var item = document.createElement("li");
            var choice = document.createElement("button");
            choice.type = "button";
            choice.className = "link-button";
            choice.textContent = place.label;
            choice.addEventListener("click", function () {
              choose(place);
            });
            item.appendChild(choice);
            list.appendChild(item);
          });
          list.querySelector("button").focus();
        })
        .catch(function () {
          list.innerHTML = "";
        });
    }

    button.addEventListener("click", search);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        search();
      }
    });
    // Typed by hand: the point found before no longer matches.
    ["voie", "code_postal", "commune"].forEach(function (key) {
      parts[key].addEventListener("input", function () {
        parts.lat.value = "";
        parts.lon.value = "";
        parts.commune_code.value = "";
        parts.label.value = "";
        showPoint();
      });
    });
    showPoint();
  }

  function start() {
    document.querySelectorAll("form[data-saisie]").forEach(function (form) {
      setUpAutosave(form);
      setUpConditions(form);
      form.querySelectorAll("[data-adresse]").forEach(function (fieldset) {
        setUpAddress(form, fieldset);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
