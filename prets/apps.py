from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.purges import register_purge

from .choices import EMAIL_KINDS


class PretsConfig(AppConfig):
    """Lending of tools and seeds (outilthèque, grainothèque)."""

    name = "prets"
    verbose_name = _("Prêts d'outils et de graines")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ateliers.models.emails import register_email_kinds  # with the modules below, once apps load

        from . import permissions, services  # noqa: F401 - they use models; permissions registers the policies

        register_email_kinds(EMAIL_KINDS)
        register_purge(_("Emprunteurs supprimés"), services.purge_personal_data)
