from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.opendata import register_datasets


class AteliersConfig(AppConfig):
    name = "ateliers"
    verbose_name = _("Agenda et ateliers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import opendata, permissions, signals  # noqa: F401 - importing permissions registers the policies

        signals.connect()
        register_datasets(opendata.agenda_datasets)
