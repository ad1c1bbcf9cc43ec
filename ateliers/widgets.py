from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from recurrence.forms import RecurrenceWidget


class AgendaRecurrenceWidget(RecurrenceWidget):
    """django-recurrence's widget in French, fitted to its panel, with the next dates it will create."""

    def get_media(self):
        # One list, in load order: separate Media objects would be interleaved when merged. The catalogue comes
        # first (the widget reads its strings when loaded), the French agreement right after the widget.
        widget = super().get_media()
        return forms.Media(
            js=[reverse("ateliers_recurrence_jsi18n"), *widget._js, static("js/recurrence-fr.js"),
                static("js/recurrence-preview.js")],
            css={"all": [*widget._css.get("all", []), static("css/recurrence-editor.css")]},
        )

    media = property(get_media)

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        return format_html(
            '{}<div class="recurrence-preview" data-recurrence-preview="{}" data-field="{}">'
            '<h3 class="recurrence-preview-title">{}</h3>'
            '<div class="recurrence-preview-body" aria-live="polite"></div></div>',
            field, reverse("ateliers_recurrence_preview"), (attrs or {}).get("id", f"id_{name}"),
            _("Prochaines dates"),
        )
