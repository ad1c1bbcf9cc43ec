// Draws the associations' maps ([data-association-map]) from the list that follows them (the fallback).
(function () {
  "use strict";
  function draw(element) {
    if (typeof L === "undefined") { return; }
    var items = element.parentNode.querySelectorAll(".association-map__places li[data-lat]");
    var points = [];
    element.classList.add("is-ready");
    element.removeAttribute("aria-hidden");
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", element.dataset.label);
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 18 }).addTo(map);
    items.forEach(function (item) {
      var lat = parseFloat(item.dataset.lat), lon = parseFloat(item.dataset.lon);
      if (isNaN(lat) || isNaN(lon)) { return; }
      var popup = document.createElement("span");
      var link = item.querySelector("a, strong");
      popup.appendChild(link.cloneNode(true));  // a copy of the list's own markup, never raw HTML
      L.circleMarker([lat, lon], { radius: 8, weight: 2 }).bindPopup(popup).addTo(map);
      points.push([lat, lon]);
    });
    if (points.length === 1) {
      map.setView(points[0], 15);
    } else if (points.length) {
      map.fitBounds(points, { padding: [20, 20], maxZoom: 15 });
    }
  }
  document.querySelectorAll("[data-association-map]").forEach(draw);
})();
