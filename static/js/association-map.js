// Draws the associations' maps ([data-association-map]): the directory's from its JSON (data-url), an
// association's own from the list that follows it (the fallback).
(function () {
  "use strict";
  function popupFor(place) {
    var popup = document.createElement("span");
    var label = document.createElement(place.url ? "a" : "strong");
    if (place.url) { label.href = place.url; }
    label.textContent = place.name;  // names are typed by associations: never as HTML
    popup.appendChild(label);
    return popup;
  }
  function show(element, places) {
    if (!places.length) { return; }
    element.classList.add("is-ready");
    element.removeAttribute("aria-hidden");
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", element.dataset.label);
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 18 }).addTo(map);
    var points = [];
    places.forEach(function (place) {
      L.circleMarker([place.lat, place.lon], { radius: 8, weight: 2 }).bindPopup(popupFor(place)).addTo(map);
      points.push([place.lat, place.lon]);
    });
    if (points.length === 1) {
      map.setView(points[0], 15);
    } else {
      map.fitBounds(points, { padding: [20, 20], maxZoom: 15 });
    }
  }
  function fromList(element) {
    var places = [];
    element.parentNode.querySelectorAll(".association-map__places li[data-lat]").forEach(function (item) {
      var lat = parseFloat(item.dataset.lat), lon = parseFloat(item.dataset.lon);
      if (isNaN(lat) || isNaN(lon)) { return; }
      var link = item.querySelector("a, strong");
      places.push({ name: link.textContent, url: link.getAttribute("href"), lat: lat, lon: lon });
    });
    return places;
  }
  function draw(element) {
    if (typeof L === "undefined") { return; }
    if (!element.dataset.url) {
      show(element, fromList(element));
      return;
    }
    fetch(element.dataset.url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { places: [] }; })
      .then(function (data) { show(element, data.places); })
      .catch(function () { /* the list of cards stays the way to find an association */ });
  }
  document.querySelectorAll("[data-association-map]").forEach(draw);
})();
