"""What the calls package plugs in when Django starts (called by DemarchesConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from ateliers.email_kinds import register_email_kinds
from biodiversitheque.core.purges import register_purge

from .choices import EMAIL_KINDS


def ready():
    from . import permissions, services, signals  # they use the models, loaded only now

    permissions.register_policies()
    register_email_kinds(EMAIL_KINDS)
    register_purge(_("Dossiers d'appels à projets"), services.purge_personal_data)
    signals.connect()
