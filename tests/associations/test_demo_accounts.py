"""load_demo's association accounts: members of their association, with an event in each moderation state."""

from django.contrib.auth import get_user_model
from django.test import Client

from associations.models import Membership
from ateliers.models import EventPage
from tests.biodiversitheque.test_demo import demo  # noqa: F401 - the module-scoped demo fixture


def test_association_accounts_have_events_in_each_state(demo, db):  # noqa: F811
    for username, slug in (("amis-des-mares", "les-amis-des-mares"), ("apis-sauvage", "apis-sauvage")):
        user = get_user_model().objects.get(username=username)
        assert list(Membership.objects.filter(user=user).values_list("association__slug", flat=True)) == [slug]
        events = EventPage.objects.filter(organiser__slug=slug)
        assert all(event.get_parent().specific.association.slug == slug for event in events)
        assert events.filter(live=True).exists()
        assert any(event.workflow_in_progress for event in events.filter(live=False))
        assert any(not event.workflow_in_progress for event in events.filter(live=False))
        client = Client()
        assert client.login(username=username, password="biodiversite-demo")
        assert client.get("/admin/").status_code == 200


def test_librarian_sees_the_submitted_events_on_the_dashboard(demo, db):  # noqa: F811
    client = Client()
    assert client.login(username="bibliothecaire", password="biodiversite-demo")
    html = client.get("/admin/").content.decode()
    assert "Nuit des tritons" in html and "Balade des pollinisateurs" in html
