from django import forms
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.forms import FilterForm
from biodiversitheque.core.models import Theme


class AssociationFilterForm(FilterForm):
    """The directory's filters; the communes offered are those of the listed associations (given by the page)."""

    theme = forms.ModelChoiceField(
        label=_("Thème"), required=False, queryset=Theme.objects.all(), to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    city = forms.ChoiceField(label=_("Commune"), required=False)

    def __init__(self, data=None, cities=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["city"].choices = [("", _("Toutes les communes"))] + [(city, city) for city in cities]
