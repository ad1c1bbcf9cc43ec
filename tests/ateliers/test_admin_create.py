"""Creating an event in the Wagtail editor: a second creation with the same slug (autosave racing
"Publier") is a form error, never a 500, and a failing publish leaves no draft behind."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from wagtail.models import Page

from ateliers.models import EventPage
from tests.associations.test_permissions import event_form_data


@pytest.fixture
def admin_client(client, home_page):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    return client


def publish(client, agenda, **overrides):
    return client.post(
        f"/admin/pages/add/ateliers/eventpage/{agenda.pk}/", {**event_form_data(**overrides), "action-publish": "on"}
    )


def test_second_creation_with_the_same_slug_is_a_form_error(admin_client, agenda):
    assert publish(admin_client, agenda).status_code == 302
    response = publish(admin_client, agenda)
    assert response.status_code == 200
    assert "sortie-tritons" in response.content.decode() and "déjà utilisé" in response.content.decode()
    assert EventPage.objects.filter(slug="sortie-tritons").count() == 1


def test_racing_creation_gets_a_form_error_not_a_500(admin_client, agenda, monkeypatch):
    assert publish(admin_client, agenda).status_code == 302
    # The racing request validated its form before the first one committed: the form's slug check passed.
    monkeypatch.setattr(Page, "_slug_is_available", staticmethod(lambda *args, **kwargs: True))
    response = publish(admin_client, agenda)
    assert response.status_code == 200
    assert "déjà utilisé" in response.content.decode()
    assert EventPage.objects.filter(slug="sortie-tritons").count() == 1


def test_failing_publish_leaves_no_orphan_draft(admin_client, agenda, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValidationError({"slug": "Ce slug est déjà utilisé."})

    monkeypatch.setattr("ateliers.services.sync_occurrences", refuse)
    response = publish(admin_client, agenda, slug="nuit-des-tritons")
    assert response.status_code == 200 and "déjà utilisé" in response.content.decode()
    assert not EventPage.objects.filter(slug="nuit-des-tritons").exists()
    assert not Page.objects.filter(slug="nuit-des-tritons").exists()
