from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteSearchConfig(AppConfig):
    name = "biodiversitheque.search"
    label = "sitesearch"
    verbose_name = _("Recherche du site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import registry, signals  # they use models: importable only once apps are loaded

        registry.autodiscover()
        signals.connect()
