// Greening permits: draws the maps of [data-permit-map] from the list that follows them, and turns
// [data-permit-picker] into a map where a click places the pin (hidden latitude/longitude fields).
// Without JavaScript the list and the address field are enough.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  function base(element) {
    element.classList.add("is-ready");
    element.removeAttribute("aria-hidden");
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", element.dataset.label);
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 19 }).addTo(map);
    return map;
  }
  document.querySelectorAll("[data-permit-map]").forEach(function (element) {
    var map = base(element), points = [];
    element.parentNode.querySelectorAll("li[data-lat]").forEach(function (item) {
      var lat = parseFloat(item.dataset.lat), lon = parseFloat(item.dataset.lon);
      if (isNaN(lat) || isNaN(lon)) { return; }
      var popup = document.createElement("span");
      popup.appendChild(item.querySelector(".permit-map__label").cloneNode(true));
      L.circleMarker([lat, lon], { radius: 8, weight: 2 }).bindPopup(popup).addTo(map);
      points.push([lat, lon]);
    });
    if (points.length === 1) { map.setView(points[0], 16); }
    else if (points.length) { map.fitBounds(points, { padding: [20, 20], maxZoom: 16 }); }
    else { map.setView([parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)], 13); }
  });
  document.querySelectorAll("[data-permit-picker]").forEach(function (element) {
    var form = element.closest("form");
    var lat = form.querySelector("input[name=latitude]"), lon = form.querySelector("input[name=longitude]");
    var status = form.querySelector("[data-permit-picker-status]");
    var map = base(element), marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (status) { status.textContent = status.dataset.placed; }
    }
    if (lat.value && lon.value) {
      place(L.latLng(parseFloat(lat.value), parseFloat(lon.value)));
      map.setView(marker.getLatLng(), 17);
    } else {
      map.setView([parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)], 14);
    }
    map.on("click", function (event) { place(event.latlng); });
    element.hidden = false;
    if (status) { status.hidden = false; }
  });
})();
