from django import forms
from django.utils.translation import gettext_lazy as _

from biodiversitheque.forms import FilterForm
from biodiversitheque.models import Theme

from .models import Association


def city_choices():
    cities = Association.objects.exclude(city="").order_by("city").values_list("city", flat=True).distinct()
    return [("", _("Toutes les communes"))] + [(city, city) for city in cities]


class AssociationFilterForm(FilterForm):
    theme = forms.ModelChoiceField(
        label=_("Thème"), required=False, queryset=Theme.objects.all(), to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    city = forms.ChoiceField(label=_("Commune"), required=False, choices=city_choices)
