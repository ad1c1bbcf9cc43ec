"""Admin forms of the associations' space."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership


class InvitationForm(forms.ModelForm):
    """Invite a person for an association: the account is found by e-mail address or created."""

    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)

    class Meta:
        model = Membership
        fields = ["association", "email", "first_name", "last_name", "role"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].help_text = _(
            "La personne reçoit un e-mail avec un lien pour choisir son mot de passe ; si elle a déjà un "
            "compte, elle retrouve simplement cette association dans son espace."
        )
