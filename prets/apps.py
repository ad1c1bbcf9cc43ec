from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ateliers.email_kinds import register_email_kinds
from biodiversitheque.core.opendata import register_datasets
from biodiversitheque.core.purges import register_purge

from .choices import EMAIL_KINDS


class PretsConfig(AppConfig):
    """Lending of tools and seeds (outilthèque, grainothèque)."""

    name = "prets"
    verbose_name = _("Prêts d'outils et de graines")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import permissions, services  # noqa: F401 - they use models; permissions registers the policies

        register_email_kinds(EMAIL_KINDS)
        register_purge(_("Emprunteurs supprimés"), services.purge_personal_data)
        register_datasets("prets.opendata.datasets")
