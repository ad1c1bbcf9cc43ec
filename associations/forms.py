from django import forms
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.forms import FilterForm
from biodiversitheque.core.models import Theme

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


class InvitationForm(forms.ModelForm):
    """Invite a person for an association: the account is found by e-mail address or created."""

    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)

    class Meta:
        from .models import Membership

        model = Membership
        fields = ["association", "email", "first_name", "last_name", "role"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].help_text = _(
            "La personne reçoit un e-mail avec un lien pour choisir son mot de passe ; si elle a déjà un "
            "compte, elle retrouve simplement cette association dans son espace."
        )
