from django import forms
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.forms import FilterForm
from biodiversitheque.core.models import Audience, Theme

from .registry import kind_choices
from .text import clean_query


class SearchForm(FilterForm):
    """The search box and its facets; unknown facet values are ignored, never an error."""

    q = forms.CharField(label=_("Rechercher"), required=False)
    type = forms.ChoiceField(label=_("Type"), choices=kind_choices, required=False)
    theme = forms.ModelChoiceField(label=_("Thème"), queryset=Theme.objects.all(), to_field_name="slug", required=False)
    audience = forms.ModelChoiceField(
        label=_("Public"), queryset=Audience.objects.all(), to_field_name="slug", required=False
    )

    def clean_q(self):
        return clean_query(self.cleaned_data.get("q"))


def page_number(value):
    try:
        return min(max(int(value), 1), 10_000)
    except (TypeError, ValueError):
        return 1
