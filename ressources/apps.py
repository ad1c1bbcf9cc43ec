from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.opendata import register_datasets


class RessourcesConfig(AppConfig):
    name = "ressources"
    verbose_name = _("Ressources")

    def ready(self):
        # Found like admin.py once the models are loaded: ressources.opendata reads them.
        register_datasets(import_module(f"{self.name}.opendata").datasets)
