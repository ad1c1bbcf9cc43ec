"""Public forms of a call; the application form is generated from the call's question blocks."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Membership

from . import choices as c
from .uploads import clean_photo, validate_upload

FIXED_FIELDS = ("contact_name", "organisation_name", "applicant_type", "association", "rna", "siret",
                "territory", "project_title", "project_summary", "amount_requested", "latitude", "longitude")


class StartForm(forms.Form):
    email = forms.EmailField(label=_("Votre adresse e-mail"), max_length=254,
                             help_text=_("Vous y recevrez le lien personnel de votre dossier."))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail du co-porteur à inviter"), max_length=254)


class InformationForm(forms.Form):
    response = forms.CharField(label=_("Votre réponse"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)


class MilestoneForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Titre"), max_length=200)
    text = forms.CharField(label=_("Ce qui a été fait"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    photo = forms.FileField(label=_("Photo (facultative)"), required=False)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        return clean_photo(photo) if photo else None

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > datetime.date.today() + datetime.timedelta(days=1):
            raise ValidationError(_("Un jalon raconte ce qui a été fait : sa date ne peut pas être à venir."))
        return date


def question_field(block_type, value):
    """The form field of one question block (drafts may be partial: nothing is required here)."""
    options = {"label": value["label"], "help_text": value.get("help_text") or "", "required": False}
    if block_type == "short_text":
        return forms.CharField(max_length=300, **options)
    if block_type == "long_text":
        limit = value.get("max_length") or 2000
        return forms.CharField(max_length=limit, widget=forms.Textarea(attrs={"rows": 6, "maxlength": limit}),
                               **options)
    if block_type == "amount":
        return forms.DecimalField(min_value=Decimal("0"), max_digits=12, decimal_places=2, **options)
    if block_type == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **options)
    if block_type == "choice":
        choices = [(line.strip(), line.strip()) for line in (value.get("choices") or "").splitlines() if line.strip()]
        return forms.ChoiceField(choices=[("", "—")] + choices, **options)
    if block_type == "checkbox":
        return forms.BooleanField(**options)
    if block_type == "file":
        return forms.FileField(**options)
    raise ValueError(block_type)


class ApplicationForm(forms.Form):
    contact_name = forms.CharField(label=_("Personne à contacter"), max_length=200, required=False)
    organisation_name = forms.CharField(label=_("Structure porteuse"), max_length=200, required=False)
    applicant_type = forms.ChoiceField(label=_("Type de porteur"), required=False,
                                       choices=[("", "—")] + c.APPLICANT_TYPE_CHOICES)
    association = forms.ModelChoiceField(
        label=_("Association de l’annuaire"), required=False, queryset=Association.objects.order_by("name"),
        help_text=_("Si votre association est dans l’annuaire : le dossier est déposé en son nom et ses membres "
                    "le voient. Votre e-mail doit être celui de l’association ou d’un de ses membres."),
    )
    rna = forms.RegexField(label=_("Numéro RNA (associations)"), regex=r"^W\d{9}$", required=False,
                           error_messages={"invalid": _("Un numéro RNA commence par W suivi de 9 chiffres.")})
    siret = forms.RegexField(label=_("SIRET"), regex=r"^\d{14}$", required=False,
                             error_messages={"invalid": _("Un SIRET compte 14 chiffres.")})
    territory = forms.CharField(label=_("Commune du projet (nom ou code INSEE)"), max_length=200, required=False)
    project_title = forms.CharField(label=_("Titre du projet"), max_length=200, required=False)
    project_summary = forms.CharField(label=_("Résumé du projet"), max_length=2000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}))
    amount_requested = forms.DecimalField(label=_("Montant demandé (€)"), min_value=Decimal("0"), max_digits=12,
                                          decimal_places=2, required=False)
    latitude = forms.DecimalField(label=_("Latitude du lieu (facultatif, pour la carte)"), required=False,
                                  min_value=-90, max_value=90, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude du lieu (facultatif)"), required=False,
                                   min_value=-180, max_value=180, max_digits=9, decimal_places=6)

    def __init__(self, *args, call, application, email, **kwargs):
        initial = {name: getattr(application, name) for name in FIXED_FIELDS}
        self.questions = call.question_items()
        for question_id, block_type, _value in self.questions:
            if block_type != "file":
                initial[f"q_{question_id}"] = (application.answers or {}).get(question_id)
        super().__init__(*args, initial=initial, **kwargs)
        self.email = email
        self.uploads = {}
        for question_id, block_type, value in self.questions:
            self.fields[f"q_{question_id}"] = question_field(block_type, value)

    def clean_association(self):
        association = self.cleaned_data.get("association")
        if association is None:
            return None
        allowed = {association.email.lower()} | {
            email.lower() for email in Membership.objects.filter(association=association)
            .values_list("user__email", flat=True)
        }
        if self.email.lower() not in allowed:
            raise ValidationError(_("Votre e-mail n’est ni celui de cette association ni celui d’un de ses membres : "
                                    "demandez à l’association de déposer le dossier."))
        return association

    def clean(self):
        data = super().clean()
        for question_id, block_type, _value in self.questions:
            name = f"q_{question_id}"
            if block_type == "file" and data.get(name):
                try:
                    size, content_type = validate_upload(data[name])
                except ValidationError as error:
                    self.add_error(name, error)
                else:
                    self.uploads[question_id] = (data[name], size, content_type)
        return data

    def split(self):
        """(fixed field values, answers as JSON) from cleaned data."""
        fields = {name: self.cleaned_data.get(name) for name in FIXED_FIELDS}
        for name in ("contact_name", "organisation_name", "applicant_type", "rna", "siret", "territory",
                     "project_title", "project_summary"):
            fields[name] = fields[name] or ""
        answers = {}
        for question_id, block_type, _value in self.questions:
            if block_type == "file":
                continue
            value = self.cleaned_data.get(f"q_{question_id}")
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            answers[question_id] = value
        return fields, answers
