from django import forms
from django.urls import reverse
from recurrence.forms import RecurrenceWidget


class AgendaRecurrenceWidget(RecurrenceWidget):
    """django-recurrence's widget, with its French strings (Wagtail's JS catalogue only has its own)."""

    def get_media(self):
        return forms.Media(js=[reverse("ateliers_recurrence_jsi18n")]) + super().get_media()

    media = property(get_media)
