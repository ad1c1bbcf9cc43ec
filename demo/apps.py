from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demonstration content and accounts (`manage.py load_demo`): development and test settings only."""

    name = "demo"
    verbose_name = _("Démonstration")
