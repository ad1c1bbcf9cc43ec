"""Public forms: plain HTML, validated with French messages (they work without JavaScript)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CATEGORY_CHOICES, SEED_MOVEMENT_CHOICES
from .models.points import LendingPoint


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Catégorie"), required=False,
                                 choices=[("", _("Toutes"))] + CATEGORY_CHOICES)
    point = forms.ModelChoiceField(label=_("Point de prêt"), required=False, queryset=None,
                                   empty_label=_("Tous"))
    available = forms.BooleanField(label=_("Disponible aujourd'hui"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = LendingPoint.objects.all()
        self.fields["point"].error_messages["invalid_choice"] = _("Ce point de prêt n'existe pas.")


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Nom et prénom"), max_length=150)
    email = forms.EmailField(label=_("Adresse e-mail"), error_messages={"invalid": _("Cette adresse e-mail n'est pas valide.")})
    phone = forms.CharField(label=_("Téléphone (facultatif)"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_("J'accepte que la biodiversithèque conserve ces coordonnées pour gérer mes prêts ; elles sont "
                "effacées après une période sans emprunt."),
        error_messages={"required": _("Votre accord est nécessaire pour conserver vos coordonnées.")},
    )


class ResendLinkForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), error_messages={"invalid": _("Cette adresse e-mail n'est pas valide.")})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReservationForm(forms.Form):
    point = forms.ModelChoiceField(label=_("Retrait et retour à"), queryset=None, empty_label=None,
                                   error_messages={"invalid_choice": _("Choisissez un point de prêt de la liste.")})
    start = forms.DateField(label=_("Date de retrait"), widget=DateInput(),
                            error_messages={"invalid": _("Date de retrait invalide (format JJ/MM/AAAA).")})
    end = forms.DateField(label=_("Date de retour"), widget=DateInput(),
                          error_messages={"invalid": _("Date de retour invalide (format JJ/MM/AAAA).")})

    def __init__(self, *args, points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        self.fields["start"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["end"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]


class SeedMovementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Je…"), choices=SEED_MOVEMENT_CHOICES, widget=forms.RadioSelect,
                             error_messages={"invalid_choice": _("Choisissez « don » ou « pris ».")})
    packets = forms.IntegerField(label=_("Nombre de sachets"), min_value=1, max_value=50, initial=1,
                                 error_messages={"min_value": _("Au moins un sachet."),
                                                 "max_value": _("Au plus 50 sachets à la fois."),
                                                 "invalid": _("Indiquez un nombre de sachets.")})
    note = forms.CharField(label=_("Origine (facultatif, sans nom de personne)"), max_length=200, required=False)
