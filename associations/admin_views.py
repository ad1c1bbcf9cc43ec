"""Membership screens: every change goes through the services (groups and access recomputed)."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.generic import CreateView, DeleteView

from . import services


class MembershipCreateView(CreateView):
    page_title = _("Inviter une personne")
    submit_button_label = _("Envoyer l'invitation")

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("association", "").isdigit():
            initial["association"] = int(self.request.GET["association"])
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.object = services.invite_member(
                data["association"], data["email"], first_name=data["first_name"], last_name=data["last_name"],
                invited_by=self.request.user,
            )
        except services.MembershipError as error:
            form.add_error("email" if error.code in ("email", "username", "already_member") else None, error.message)
            self.produced_error_code = error.code
            self.produced_error_message = error.message
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Invitation envoyée à %(email)s pour %(association)s.")
            % {"email": self.object.user.email, "association": self.object.association.name},
        )
        return redirect(self.get_success_url())


class MembershipDeleteView(DeleteView):
    @property
    def confirmation_message(self):
        return _(
            "Retirer %(person)s de %(association)s ? Son accès à l'espace de l'association est coupé "
            "immédiatement ; son compte est désactivé s'il ne lui reste aucune association."
        ) % {"person": self.object.user.email, "association": self.object.association.name}

    def get_success_message(self):
        return _("%(person)s n'a plus accès à l'espace de %(association)s.") % {
            "person": self.object.user.email, "association": self.object.association.name
        }

    def delete_action(self):
        services.remove_membership(self.object)
