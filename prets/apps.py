from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PretsConfig(AppConfig):
    """Lending of tools and seeds (outilthèque, grainothèque)."""

    name = "prets"
    verbose_name = _("Prêts d'outils et de graines")
    default_auto_field = "django.db.models.BigAutoField"
