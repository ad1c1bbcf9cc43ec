from django import forms
from django.utils.translation import gettext_lazy as _

from biodiversitheque.forms import FilterForm
from biodiversitheque.models import Audience, Theme


class ResourceFilterForm(FilterForm):
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Tous les types")), ("guide", _("Guides citoyens")),
                 ("inventaire", _("Inventaires naturalistes")), ("formation", _("Formations"))],
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"), required=False, queryset=Theme.objects.all(), to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    audience = forms.ModelChoiceField(
        label=_("Public"), required=False, queryset=Audience.objects.all(), to_field_name="slug",
        empty_label=_("Tous les publics"),
    )
