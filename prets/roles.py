"""The "Prêts" group: the lending team (desk, borrowers, catalogue pages and seed log)."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page

from .choices import LENDING_GROUP
from .models import LendingCatalogPage, SeedLibraryPage

MODEL_PERMISSIONS = {
    "borrower": ("add", "change", "delete", "view"),
    "loan": ("add", "change", "delete", "view"),
    "hold": ("change", "delete", "view"),
    "unit": ("add", "change", "delete", "view"),
    "lendingpoint": ("add", "change", "delete", "view"),
    "seedmovement": ("add", "change", "delete", "view"),
}


def ensure_roles():
    """Create or update the group; idempotent. Page rights on the catalogue and the grainothèque if present."""
    group, _created = Group.objects.get_or_create(name=LENDING_GROUP)
    codenames = [f"{action}_{model}" for model, actions in MODEL_PERMISSIONS.items() for action in actions]
    wanted = set(Permission.objects.filter(content_type__app_label="prets", codename__in=codenames))
    wanted |= set(Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))
    group.permissions.add(*wanted)
    pages = [page for page in (LendingCatalogPage.objects.first(), SeedLibraryPage.objects.first()) if page]
    for page in pages:
        for codename in ("add_page", "change_page", "publish_page"):
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=Page.objects.get(pk=page.pk),
                                                      permission=permission)
    return group
