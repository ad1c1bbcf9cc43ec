from django import forms
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.forms import FilterForm
from biodiversitheque.core.models import Audience, Theme
from ressources.choices import RESOURCE_TYPE_CHOICES, TAXON_GROUP_CHOICES, TAXON_STATUS_CHOICES


class ResourceFilterForm(FilterForm):
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Tous les types")), *RESOURCE_TYPE_CHOICES],
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"), required=False, queryset=Theme.objects.all(), to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    audience = forms.ModelChoiceField(
        label=_("Public"), required=False, queryset=Audience.objects.all(), to_field_name="slug",
        empty_label=_("Tous les publics"),
    )


class SpeciesFilterForm(FilterForm):
    """Filters of the species index and of an inventory's species list."""

    q = forms.CharField(label=_("Nom"), required=False, max_length=100)
    group = forms.ChoiceField(
        label=_("Groupe"), required=False, choices=[("", _("Tous les groupes")), *TAXON_GROUP_CHOICES]
    )
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[("", _("Tous les statuts")), *TAXON_STATUS_CHOICES]
    )


class ObservationImportForm(forms.Form):
    """Upload step of the admin import: the file and whether invalid rows may be skipped."""

    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("Export Darwin Core, iNaturalist ou INPN / GeoNature ; séparateur virgule, point-virgule "
                    "ou tabulation ; encodage UTF-8."),
    )
    skip_invalid = forms.BooleanField(
        label=_("Ignorer les lignes invalides"), required=False,
        help_text=_("Sinon, un fichier qui contient une erreur n'importe rien."),
    )

    MAX_SIZE = 50 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_SIZE:
            raise forms.ValidationError(_("Fichier trop volumineux (50 Mo au plus)."))
        return upload
