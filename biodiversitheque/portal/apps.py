from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer: home page, site structure, roles and URLs. It may use every app; none uses it."""

    name = "biodiversitheque.portal"
    label = "portal"
    verbose_name = _("Portail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from biodiversitheque.core.sites import register_site_builder  # with the modules below, once apps load

        from . import roles, site_structure  # they use the models of every app, loaded only now

        post_migrate.connect(roles.after_migrate, dispatch_uid="portal_roles")
        register_site_builder(site_structure.ensure_site_structure)
