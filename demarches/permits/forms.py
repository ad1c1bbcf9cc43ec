"""The public request form (plain HTML, French errors), the applicant's answer and the agents' action forms."""

import io
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from associations.models import Association
from biodiversitheque.core.forms import LongSelect

from . import choices
from .geocoding import geocode
from .models import Commune, SupportType

MAX_PIXELS = 40_000_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS images; each one checked (type, size) and re-encoded without metadata (EXIF location)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if len(files) > choices.MAX_PHOTOS:
            raise ValidationError(_("Trois photos au plus."), code="too_many")
        return [clean_photo(item) for item in files]


def clean_photo(upload):
    """(bytes, content type, extension) of an upload, or a French ValidationError."""
    limit = choices.photo_max_bytes()
    if upload.size > limit:
        raise ValidationError(_("La photo « %(name)s » dépasse %(size)s Mo.")
                              % {"name": upload.name, "size": limit // (1024 * 1024)}, code="too_big")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("La photo « %(name)s » est trop grande.") % {"name": upload.name})
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image_format not in choices.PHOTO_FORMATS:
                raise ValidationError(_("« %(name)s » n'est pas une photo JPEG, PNG ou WebP.") % {"name": upload.name})
            image = ImageOps.exif_transpose(image)
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=image_format)  # no exif= argument: the metadata is left behind
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("« %(name)s » n'est pas une image lisible (JPEG, PNG ou WebP).")
                              % {"name": upload.name}, code="not_image") from None
    content_type, extension = choices.PHOTO_FORMATS[image_format]
    return out.getvalue(), content_type, extension


def _coordinate(value, low, high):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ValidationError(_("Coordonnée illisible.")) from None
    if not low <= number <= high:
        raise ValidationError(_("Coordonnée hors limites."))
    return number


class PermitRequestForm(forms.Form):
    applicant_kind = forms.ChoiceField(label=_("Vous êtes"), choices=choices.APPLICANT_KIND_CHOICES,
                                       widget=forms.RadioSelect)
    association = forms.ModelChoiceField(
        label=_("Association (si vous demandez au nom d'une association de l'annuaire)"), required=False,
        queryset=Association.objects.only("pk", "name").order_by("name"), empty_label=_("— Choisir —"),
        widget=LongSelect,
    )
    organisation = forms.CharField(label=_("Nom du collectif, de l'école, du commerce ou de la copropriété"),
                                   max_length=150, required=False)
    name = forms.CharField(label=_("Nom et prénom du contact"), max_length=150,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Adresse e-mail"), error_messages={"invalid": _("Cette adresse e-mail n'est pas valide.")},
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Téléphone (facultatif)"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    address = forms.CharField(label=_("Adresse du lieu à végétaliser"), max_length=250,
                              help_text=_("Numéro et rue, ou le repère le plus proche (« face au 12 rue du Moulin »)."))
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all(), required=False,
                                     empty_label=None)
    district = forms.CharField(label=_("Quartier (facultatif)"), max_length=100, required=False)
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    support_type = forms.ModelChoiceField(label=_("Type de support"), queryset=SupportType.objects.all(),
                                          empty_label=_("— Choisir —"), widget=forms.Select)
    description = forms.CharField(label=_("Votre projet"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("Ce que vous souhaitez planter, l'entretien prévu."))
    photos = PhotosField(label=_("Photos du lieu (3 au plus, JPEG, PNG ou WebP)"))
    charter_accepted = forms.BooleanField(label=_("J'ai lu la charte de végétalisation et je m'engage à la respecter"))
    consent = forms.BooleanField(label=_("J'accepte que mes coordonnées servent à instruire cette demande"))
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    error_messages_required = _("Ce champ est obligatoire.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("required", self.error_messages_required)
            field.error_messages["required"] = self.error_messages_required
        self.fields["charter_accepted"].error_messages["required"] = _("Acceptez la charte pour déposer la demande.")
        self.fields["consent"].error_messages["required"] = _("Votre accord est nécessaire pour instruire la demande.")
        self.fields["support_type"].error_messages["invalid_choice"] = _("Choisissez un type de support de la liste.")
        self.fields["applicant_kind"].error_messages["invalid_choice"] = _("Choisissez qui fait la demande.")
        communes = Commune.objects.all()
        if communes.count() <= 1:
            self.fields["commune"].widget = forms.HiddenInput()
        self.fields["commune"].initial = communes.first()
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_submission_key(self):
        value = self.cleaned_data.get("submission_key", "")
        return value if len(value) <= 40 and value.isalnum() else ""

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_kind")
        if kind == "association" and not data.get("association"):
            self.add_error("association", _("Choisissez l'association au nom de laquelle vous demandez."))
        if kind != "association":
            data["association"] = None
        if kind in choices.ORGANISATION_KINDS and not data.get("organisation", "").strip():
            self.add_error("organisation", _("Indiquez le nom de la structure."))
        try:
            latitude = _coordinate(data.get("latitude"), -90, 90)
            longitude = _coordinate(data.get("longitude"), -180, 180)
        except ValidationError as error:
            self.add_error("address", _("Le point placé sur la carte est illisible : replacez-le. (%(detail)s)")
                           % {"detail": error.messages[0]})
            return data
        if (latitude is None) != (longitude is None):
            latitude = longitude = None
        if latitude is None and data.get("address"):
            point = geocode(data["address"])  # optional: None when no service is configured or it fails
            if point:
                latitude, longitude = point
                found = Commune.for_point(latitude, longitude)
                if found is None:  # a namesake street elsewhere: keep the address, drop the point
                    latitude = longitude = None
        data["latitude"], data["longitude"] = latitude, longitude
        if latitude is not None:
            commune = Commune.for_point(latitude, longitude)
            if commune is None:
                self.add_error("address", _("Le point placé sur la carte est en dehors des communes desservies."))
            else:
                data["commune"] = commune
        elif not data.get("commune"):
            data["commune"] = Commune.objects.first()
            if data["commune"] is None:
                raise ValidationError(_("Aucune commune n'est encore ouverte aux demandes."))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Votre réponse"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": _("Écrivez votre réponse.")})
    photos = PhotosField(label=_("Photos (facultatif)"))


class PhotosForm(forms.Form):
    photos = PhotosField(label=_("Ajouter des photos"), required=True,
                         error_messages={"required": _("Choisissez au moins une photo.")})


class InformationRequestForm(forms.Form):
    message = forms.CharField(label=_("Ce qui manque"), widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("Dites au demandeur ce qui manque.")})


class OpinionForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"))
    favourable = forms.TypedChoiceField(label=_("Avis"), coerce=lambda value: value == "1",
                                        choices=[("1", _("Favorable")), ("0", _("Défavorable"))],
                                        widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = list(services)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Décision"), widget=forms.RadioSelect,
                                 choices=[("granted", _("Accorder")), ("refused", _("Refuser"))])
    clause = forms.TypedChoiceField(label=_("Article de la charte cité (refus)"), coerce=int, required=False,
                                    empty_value=None)
    comment = forms.CharField(label=_("Motif ou conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, charter=None, **kwargs):
        super().__init__(*args, **kwargs)
        clauses = charter.clause_list() if charter else []
        self.fields["clause"].choices = [("", _("—"))] + [(n, f"{n}. {text[:90]}") for n, text in clauses]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refused" and not data.get("clause"):
            self.add_error("clause", _("Un refus cite l'article de la charte qui le motive."))
        return data
