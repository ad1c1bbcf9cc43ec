from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.opendata import register_datasets


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Associations")

    def ready(self):
        from . import permissions, signals  # noqa: I001 - they use the models, loaded only now

        permissions.register_policies()
        signals.connect()
        register_datasets("associations.opendata.datasets")
