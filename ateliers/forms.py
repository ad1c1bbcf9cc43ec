from django import forms
from django.utils.translation import gettext_lazy as _

from associations.models import Association
from biodiversitheque.core.forms import FilterForm
from biodiversitheque.core.models import Audience, Theme

from .choices import EVENT_KIND_CHOICES, ORGANISER_SELF


def organiser_choices():
    organisers = Association.objects.filter(events__live=True).distinct().order_by("name").values_list("slug", "name")
    return [("", _("Tous les organisateurs")), (ORGANISER_SELF, _("La biodiversithèque"))] + list(organisers)


class AgendaFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Tous les types"))] + EVENT_KIND_CHOICES)
    theme = forms.ModelChoiceField(
        label=_("Thème"), required=False, queryset=Theme.objects.all(), to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    audience = forms.ModelChoiceField(
        label=_("Public"), required=False, queryset=Audience.objects.all(), to_field_name="slug",
        empty_label=_("Tous les publics"),
    )
    organiser = forms.ChoiceField(label=_("Organisateur"), required=False, choices=organiser_choices)
    date_from = forms.DateField(
        label=_("À partir du"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    places = forms.BooleanField(label=_("Seulement s'il reste des places"), required=False)

    def api_errors(self):
        """French messages for /api/agenda/, one per invalid parameter."""
        return {name: [str(message) for message in messages] for name, messages in self.errors.items()}


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Nom et prénom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        error_messages={"invalid": _("Cette adresse e-mail n'est pas valide.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    places = forms.IntegerField(
        label=_("Nombre de places"),
        initial=1,
        error_messages={
            "min_value": _("Le nombre de places doit être au moins 1."),
            "invalid": _("Indiquez un nombre de places."),
        },
    )
    phone = forms.CharField(
        label=_("Téléphone (facultatif)"), max_length=30, required=False,
        help_text=_("Seulement pour vous prévenir en cas d'imprévu le jour même."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    waiting_list = forms.BooleanField(
        label=_("S'il n'y a plus assez de places, m'inscrire sur la liste d'attente"), required=False
    )
    consent = forms.BooleanField(
        label=_("J'accepte que mes coordonnées soient utilisées pour gérer mon inscription."),
        error_messages={"required": _("Votre accord est nécessaire pour enregistrer l'inscription.")},
    )

    def __init__(self, *args, event, to_waiting_list=False, **kwargs):
        super().__init__(*args, **kwargs)
        maximum = event.max_places_per_registration
        self.fields["places"].min_value = 1
        self.fields["places"].max_value = maximum
        self.fields["places"].validators = []
        self.fields["places"].widget.attrs.update({"min": 1, "max": maximum})
        self.fields["places"].help_text = _("%(max)d au maximum par inscription.") % {"max": maximum}
        if not event.waiting_list_enabled or to_waiting_list:
            del self.fields["waiting_list"]

    def describe_errors(self):
        """Point each invalid field at its help and error texts (ids as rendered by the template)."""
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}_helptext"] if bound.help_text else []
            ids.append(f"{bound.auto_id}_error")
            bound.field.widget.attrs.update({"aria-describedby": " ".join(ids), "aria-invalid": "true"})

    def clean_places(self):
        places = self.cleaned_data["places"]
        if places < 1:
            raise forms.ValidationError(_("Le nombre de places doit être au moins 1."))
        if places > self.fields["places"].max_value:
            raise forms.ValidationError(
                _("Une inscription est limitée à %(max)d places.") % {"max": self.fields["places"].max_value}
            )
        return places


class OccurrenceCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (repris dans l'e-mail aux inscrits)"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
