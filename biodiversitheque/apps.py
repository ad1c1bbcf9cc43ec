from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BiodiversithequeConfig(AppConfig):
    name = "biodiversitheque"
    verbose_name = _("Biodiversithèque")

    def ready(self):
        from . import checks, shell, signals  # noqa: F401  (register system checks and signal receivers)

        signals.connect()
