from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.opendata import register_datasets

from .calls import apps as calls
from .permits import apps as permits


class DemarchesConfig(AppConfig):
    """Citizen procedures: greening permits (`permits/`) and calls for projects (`calls/`)."""

    name = "demarches"
    verbose_name = _("Démarches")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        calls.ready()
        permits.ready()
        register_datasets("demarches.opendata.datasets")
