from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BiodiversithequeConfig(AppConfig):
    name = "biodiversitheque"
    verbose_name = _("Biodiversithèque")

    def ready(self):
        from . import checks, shell  # noqa: F401  (register the system checks and the shell's signals)
