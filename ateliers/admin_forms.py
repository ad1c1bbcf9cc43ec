"""Editor form of event pages: the organiser is locked to the association whose folder holds the event."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from associations.models import Association

from .models.association_events import association_for_path


class EventPageForm(WagtailAdminPageForm):
    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        where = self.instance.path if self.instance.pk else getattr(parent_page, "path", "")
        association_id = association_for_path(where) if where else None
        if association_id is not None and "organiser" in self.fields:
            self._lock_organiser(association_id)

    def _lock_organiser(self, association_id):
        # A disabled field keeps its initial value whatever the POST contains.
        self.fields["organiser"] = forms.ModelChoiceField(
            label=self.fields["organiser"].label,
            queryset=Association.objects.filter(pk=association_id),
            required=False,
            disabled=True,
            empty_label=None,
            help_text=_("Les activités rangées dans l'espace d'une association sont organisées par elle."),
        )
        self.initial["organiser"] = association_id


class RecurrencePreviewForm(forms.Form):
    """The editor's date fields, as typed, for the preview of the next dates (nothing is saved)."""

    recurrence = forms.CharField(required=False)
    first_date = forms.DateField(
        error_messages={"required": _("Indiquez la première date."), "invalid": _("Première date invalide.")}
    )
    start_time = forms.TimeField(
        error_messages={"required": _("Indiquez l'heure de début."), "invalid": _("Heure de début invalide.")}
    )
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=24 * 60 * 7,
        error_messages={
            "required": _("Indiquez la durée."),
            "invalid": _("Durée invalide : un nombre de minutes."),
            "min_value": _("La durée est d'au moins 5 minutes."),
            "max_value": _("La durée est d'au plus une semaine."),
        },
    )

    def clean_recurrence(self):
        import recurrence

        text = self.cleaned_data["recurrence"].strip()
        try:
            return recurrence.deserialize(text)
        except (recurrence.exceptions.DeserializationError, ValueError, TypeError):
            raise forms.ValidationError(_("Règle de répétition illisible : recommencez-la avec le widget."))
