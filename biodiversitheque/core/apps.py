from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared base every app builds on. Its label stays "biodiversitheque": tables and migrations keep their names."""

    name = "biodiversitheque.core"
    label = "biodiversitheque"
    verbose_name = _("Biodiversithèque")

    def ready(self):
        from . import checks, shell, signals  # noqa: F401 - registering system checks and signal receivers

        signals.connect()
