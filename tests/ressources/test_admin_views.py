"""Admin import of observations through the real admin URLs: upload → preview → confirm."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import GroupPagePermission

from ressources.models import Observation

BAD = b"occurrenceID,scientificName,eventDate\nz1,Bufo bufo,2025-04-02\nz2,,2025-04-02\n"


@pytest.fixture
def editor(django_user_model, resource_index):
    group = Group.objects.create(name="Bibliothécaires test")
    group.permissions.add(Permission.objects.get(codename="access_admin"),
                          Permission.objects.get(codename="view_observation"))
    for permission in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=resource_index, permission=Permission.objects.get(codename=permission)
        )
    user = django_user_model.objects.create_user("editrice", password="x")
    user.groups.add(group)
    return user


def upload(client, url, content, name="fichier.csv", **extra):
    return client.post(url, {"step": "upload", "file": SimpleUploadedFile(name, content, "text/csv"), **extra})


def test_preview_then_confirm(client, editor, inventory, sample):
    client.force_login(editor)
    url = reverse("ressources_import_observations", args=[inventory.pk])

    assert client.get(url).status_code == 200
    preview = upload(client, url, sample("geonature.csv"))
    html = preview.content.decode()
    assert preview.status_code == 200 and "INPN / GeoNature" in html and "Importer 48 observations" in html
    assert not Observation.objects.exists()

    confirmed = client.post(url, {"step": "confirm"})
    assert confirmed.status_code == 302
    assert Observation.objects.filter(inventory=inventory).count() == 48
    listing = client.get(confirmed["Location"])
    assert listing.status_code == 200 and "Erithacus rubecula" in listing.content.decode()


def test_bad_file_preview_shows_lines_and_cannot_be_confirmed(client, editor, inventory):
    client.force_login(editor)
    url = reverse("ressources_import_observations", args=[inventory.pk])

    html = upload(client, url, BAD).content.decode()
    assert "Ligne 3 : nom du taxon manquant" in html and "rien ne sera importé" in html
    assert 'value="confirm"' not in html
    client.post(url, {"step": "confirm"})  # a forged confirmation still imports nothing
    assert not Observation.objects.exists()


def test_skip_invalid_from_the_admin(client, editor, inventory):
    editor.groups.get().permissions.remove(Permission.objects.get(codename="view_observation"))
    client.force_login(editor)
    url = reverse("ressources_import_observations", args=[inventory.pk])

    upload(client, url, BAD, skip_invalid="on")
    response = client.post(url, {"step": "confirm"})

    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[inventory.pk])

    assert list(Observation.objects.values_list("occurrence_id", flat=True)) == ["z1"]


def test_unrecognised_file_gets_a_form_error(client, editor, inventory):
    client.force_login(editor)
    url = reverse("ressources_import_observations", args=[inventory.pk])

    response = upload(client, url, b"a;b\n1;2\n")
    assert response.status_code == 200 and "Format non reconnu" in response.content.decode()


def test_users_who_cannot_edit_the_inventory_are_refused(client, django_user_model, inventory):
    user = django_user_model.objects.create_user("lecteur", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get(reverse("ressources_import_observations", args=[inventory.pk]))
    assert response.status_code in (302, 403)
    assert inventory.title not in client.get(reverse("ressources_import_choose")).content.decode()


def test_edit_view_shows_a_summary_not_inline_rows(client, editor, inventory, sample):
    from ressources.observations import import_observations

    import_observations(inventory, sample("darwin-core.csv"))
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[inventory.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "19 observations" in html and "Importer des observations" in html
    assert "observations-TOTAL_FORMS" not in html
