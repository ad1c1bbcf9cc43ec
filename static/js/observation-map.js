// Draws the observation maps ([data-observation-map]) from their JSON; the table beside them is the fallback.
(function () {
  "use strict";
  function draw(element) {
    if (typeof L === "undefined") { return; }
    fetch(element.dataset.url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { places: [] }; })
      .then(function (data) {
        if (!data.places.length) { return; }
        element.removeAttribute("aria-hidden");
        element.setAttribute("role", "region");
        element.setAttribute("aria-label", element.dataset.label);
        var map = L.map(element, { scrollWheelZoom: false });
        L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 18 }).addTo(map);
        var bounds = [];
        data.places.forEach(function (place) {
          var marker = place.blurred
            ? L.rectangle([[place.lat - 0.05, place.lon - 0.05], [place.lat + 0.05, place.lon + 0.05]], { weight: 1 })
            : L.circleMarker([place.lat, place.lon], { radius: Math.min(4 + Math.sqrt(place.count), 14) });
          var text = place.species.join(", ") + (place.more_species ? " …" : "") + " (" + place.count + ")";
          if (place.blurred) { text += " — " + element.dataset.blurredLabel; }
          var popup = document.createElement("span");
          popup.textContent = text;  // names come from imported files: never as HTML
          marker.bindPopup(popup).addTo(map);
          bounds.push([place.lat, place.lon]);
        });
        map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
      })
      .catch(function () { /* the table of places stays the way to read the data */ });
  }
  document.querySelectorAll("[data-observation-map]").forEach(draw);
})();
