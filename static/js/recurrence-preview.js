/* Editor of an event: under the repetition widget, the next dates the rule will create once published,
   asked from the server (same computation as publishing) whenever the rule or the first date/time changes. */
(function () {
    "use strict";
    var DELAY = 400;

    function setup(box) {
        var textarea = document.getElementById(box.dataset.field);
        var form = textarea && textarea.form;
        if (!form) {
            return;
        }
        var body = box.querySelector(".recurrence-preview-body");
        var lastQuery = null;
        var timer = null;
        var pending = null;

        function fieldValue(name) {
            var field = form.elements[name];
            return field ? field.value : "";
        }

        function show(message, isError) {
            body.replaceChildren();
            var paragraph = document.createElement("p");
            paragraph.textContent = message;
            if (isError) {
                paragraph.className = "recurrence-preview-error";
            }
            body.appendChild(paragraph);
        }

        function showDates(dates) {
            if (!dates.length) {
                show(gettext("Aucune date à venir : vérifiez la première date et la répétition."), false);
                return;
            }
            var list = document.createElement("ol");
            dates.forEach(function (date) {
                var item = document.createElement("li");
                var time = document.createElement("time");
                time.dateTime = date.start;
                time.textContent = date.label;
                item.appendChild(time);
                list.appendChild(item);
            });
            body.replaceChildren(list);
        }

        function refresh() {
            var query = new URLSearchParams({
                recurrence: textarea.value,
                first_date: fieldValue("first_date"),
                start_time: fieldValue("start_time"),
                duration_minutes: fieldValue("duration_minutes"),
            }).toString();
            if (query === lastQuery) {
                return;
            }
            lastQuery = query;
            if (pending) {
                pending.abort();
            }
            pending = new AbortController();
            fetch(box.dataset.recurrencePreview + "?" + query, {
                credentials: "same-origin",
                headers: {Accept: "application/json"},
                signal: pending.signal,
            })
                .then(function (response) {
                    return response.json().then(function (data) {
                        if (response.ok) {
                            showDates(data.dates);
                        } else {
                            show(data.error || gettext("Aperçu indisponible."), true);
                        }
                    });
                })
                .catch(function (error) {
                    if (error.name !== "AbortError") {
                        lastQuery = null;
                        show(gettext("Aperçu indisponible."), true);
                    }
                });
        }

        function later() {
            clearTimeout(timer);
            timer = setTimeout(refresh, DELAY);
        }

        // The widget rewrites its hidden textarea without any event: listen to the clicks and changes
        // that make it do so, and check once in a while for what they miss (the date pickers).
        form.addEventListener("input", later);
        form.addEventListener("change", later);
        form.addEventListener("click", later);
        setInterval(refresh, 2000);
        refresh();
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("[data-recurrence-preview]").forEach(setup);
    });
})();
