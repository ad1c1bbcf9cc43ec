"""The admin in French for every account, and a menu that shows only what the role can use."""

import importlib
import json
import re

from django.apps import apps
from wagtail.users.models import UserProfile

ENGLISH_LABELS = ("Dashboard", ">Search<", "Collapse all", "Expand all", "Log out", "Help")


def menu_items(client):
    """{menu item label: url} of the admin sidebar, sub-menus included."""
    html = client.get("/admin/").content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    items = {}

    def walk(node):
        if isinstance(node, dict):
            if "name" in node and isinstance(node.get("label"), str):
                items[node["label"]] = node.get("url")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.group(1)))
    return items


def assert_french(client, mares):
    for url in ("/admin/", "/admin/ateliers/registration/", f"/admin/pages/{mares.events_page.pk}/"):
        html = client.get(url).content.decode()
        assert '<html lang="fr"' in html, url
        for label in ENGLISH_LABELS:
            assert label not in html, (url, label)
    catalog = client.get("/admin/jsi18n/").content.decode()  # the sidebar's and editor's own labels
    assert "Tout replier" in catalog and "Rechercher" in catalog


def test_member_admin_is_french_even_if_its_profile_asked_for_english(member, member_client, mares):
    profile = UserProfile.get_for_user(member)
    profile.preferred_language = "en"
    profile.save()
    assert UserProfile.objects.get(pk=profile.pk).preferred_language == ""
    assert_french(member_client, mares)


def test_migration_gives_french_to_existing_english_profiles(member, member_client, mares):
    profile = UserProfile.get_for_user(member)
    UserProfile.objects.filter(pk=profile.pk).update(preferred_language="en")  # as stored before
    migration = importlib.import_module("biodiversitheque.core.migrations.0004_admin_profiles_in_french")
    migration.forwards(apps, None)
    assert UserProfile.objects.get(pk=profile.pk).preferred_language == ""
    assert_french(member_client, mares)


def test_member_menu_has_only_what_it_can_use(member_client):
    items = menu_items(member_client)
    assert set(items) == {
        "Pages", "Agenda", "Dates", "Inscriptions", "Associations", "Images",
        "Rapports", "Workflows", "Tâches de workflow", "Historique du Site",
        "Aide", "Raccourcis", "Compte", "Se déconnecter",
        # The greening permits asked in the association's name (list, map, statistics: those rows only).
        "Permis de végétaliser", "Permis : carte", "Permis : statistiques",
    }
    for label, url in items.items():
        if isinstance(url, str) and url.startswith("/admin/") and label != "Se déconnecter":
            assert member_client.get(url).status_code in (200, 302), label


def test_no_menu_leads_to_english_help(member_client, librarian_client):
    for client in (member_client, librarian_client):
        items = menu_items(client)
        assert "Raccourcis" in items
        assert not any("guide.wagtail.org" in str(url) for url in items.values())


def test_librarian_menu_keeps_its_tools(librarian_client):
    items = menu_items(librarian_client)
    for label in ("Importer des observations", "Pages vieillissantes", "E-mails envoyés", "Membres des associations"):
        assert label in items
