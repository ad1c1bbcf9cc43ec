/* Autocomplete for search boxes (progressive enhancement: without JS the form still submits).
   ARIA 1.2 combobox pattern: input[role=combobox] + listbox, arrow keys, Enter opens, Escape closes. */
(function () {
  "use strict";

  function setup(field) {
    var input = field.querySelector("input[type=search]");
    var url = field.getAttribute("data-suggestions-url");
    if (!input || !url || !window.fetch) return;
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    field.appendChild(list);
    field.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    var items = [], active = -1, timer = null, controller = null;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function select(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
      else input.removeAttribute("aria-activedescendant");
    }

    function render(results) {
      list.innerHTML = "";
      items = results;
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = result.title; // text only: titles are never parsed as HTML
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.href = result.url;
        });
        list.appendChild(option);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      status.textContent = results.length ? results.length + " suggestion(s), flèches haut et bas pour choisir." : "";
      active = -1;
    }

    function fetchSuggestions() {
      var value = input.value.trim();
      if (value.length < 2) { close(); return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(value), { signal: controller && controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { render(data.results || []); })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); select((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select(active <= 0 ? items.length - 1 : active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); window.location.href = items[active].url; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("[data-search-autocomplete]").forEach(setup);
})();
