/* django-recurrence writes "every 2 weeks" with one string for all frequencies ("Tou(te)s les 2 semaines"):
   French agrees with the frequency ("Tous les 2 mois", "Toutes les semaines"). The words come from the
   JavaScript catalogue (ateliers/locale/fr/LC_MESSAGES/djangojs.po). Loaded after recurrence-widget.js,
   before the widget is built (document ready). */
(function () {
    "use strict";
    if (!window.recurrence || !recurrence.Rule || !recurrence.widget) {
        return;
    }
    var display = recurrence.display;

    // Rule frequencies: 0 yearly, 1 monthly, 2 weekly, 3 daily.
    function everyNumber(freq, number) {
        var forms = [
            ngettext("every %(number)s year", "every %(number)s years", number),
            ngettext("every %(number)s month", "every %(number)s months", number),
            ngettext("every %(number)s week", "every %(number)s weeks", number),
            ngettext("every %(number)s day", "every %(number)s days", number),
        ];
        return forms[freq] || display.tokens.every_number_freq;
    }
    var everyOne = [gettext("every year"), gettext("every month"), gettext("every week"), gettext("every day")];

    // The rule's summary ("Toutes les semaines, le samedi"): swap the two strings it reads, then restore them,
    // since the frequency menu keeps its own words (annuel, mensuel…).
    var ruleText = recurrence.Rule.prototype.get_display_text;
    recurrence.Rule.prototype.get_display_text = function (short) {
        var savedFrequencies = display.frequencies;
        var savedToken = display.tokens.every_number_freq;
        display.frequencies = everyOne.concat(savedFrequencies.slice(everyOne.length));
        display.tokens.every_number_freq = everyNumber(this.freq, this.interval);
        try {
            return ruleText.call(this, short);
        } finally {
            display.frequencies = savedFrequencies;
            display.tokens.every_number_freq = savedToken;
        }
    };

    // The interval row: "Toutes les [2] semaines", words on both sides of the field.
    var setInterval = recurrence.widget.RuleForm.prototype.set_interval;
    recurrence.widget.RuleForm.prototype.set_interval = function (interval) {
        setInterval.call(this, interval);
        var field = this.elements.interval_field;
        var number = parseInt(field.value, 10) || 1;
        var parts = everyNumber(this.selected_freq, number).split("%(number)s");
        if (parts.length === 2) {
            field.previousSibling.textContent = recurrence.string.capitalize(parts[0].trim());
            field.nextSibling.textContent = parts[1].trim();
        }
    };
})();
