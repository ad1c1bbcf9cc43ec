from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.opendata import register_datasets


class RessourcesConfig(AppConfig):
    name = "ressources"
    verbose_name = _("Ressources")

    def ready(self):
        register_datasets("ressources.opendata.datasets")
