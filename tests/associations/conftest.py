import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from associations import services
from ateliers.models import AgendaPage
from ateliers.services import sync_occurrences
from tests.factories import AssociationFactory, EventPageFactory
from biodiversitheque.core.roles import LIBRARIANS_GROUP


@pytest.fixture
def agenda(home_page):
    page = AgendaPage(title="Agenda", slug="agenda", show_in_menus=True)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def mares(agenda):
    return AssociationFactory(name="Les Amis des Mares", slug="les-amis-des-mares")


@pytest.fixture
def apis(agenda):
    return AssociationFactory(name="Apis Sauvage", slug="apis-sauvage")


def make_member(association, username):
    user = User.objects.create_user(username, f"{username}@example.org", "x", first_name=username.title())
    services.invite_member(association, user.email)
    user.refresh_from_db()
    return user


@pytest.fixture
def member(mares):
    return make_member(mares, "marie")


@pytest.fixture
def other_member(apis):
    return make_member(apis, "paul")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def librarian(db):
    user = User.objects.create_user("biblio", "biblio@example.org", "x", first_name="Dominique")
    user.groups.add(Group.objects.get(name=LIBRARIANS_GROUP))
    return user


@pytest.fixture
def librarian_client(librarian):
    client = Client()  # its own session: tests use it beside member_client
    client.force_login(librarian)
    return client


@pytest.fixture
def make_event():
    """A published event in an association's folder, with its dates."""

    def make(association, live=True, **kwargs):
        folder = association.events_page
        event = EventPageFactory(parent=folder, live=live, **kwargs)
        if live:
            event.save_revision().publish()
            sync_occurrences(event)
        else:
            event.save_revision()
        return event

    return make
