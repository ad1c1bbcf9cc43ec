from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BiodiversithequeConfig(AppConfig):
    name = "biodiversitheque"
    verbose_name = _("Biodiversithèque")

    def ready(self):
        from . import signals

        signals.connect()
