"""An association member in the real admin: its own entry, events and registrations, nothing else."""

import datetime

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from associations.models import Association
from ateliers import services as agenda_services
from ateliers.models import EventPage, Registration


def event_form_data(**overrides):
    first_date = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "title": "Sortie tritons",
        "slug": "sortie-tritons",
        "summary": "À la découverte des tritons.",
        "kind": "balade",
        "description": streamfield([]),
        "first_date": first_date.isoformat(),
        "start_time": "10:00",
        "duration_minutes": "120",
        "recurrence": "",
        "place_name": "Mare du parc",
        "address": "",
        "postal_code": "37000",
        "city": "Villeneuve-la-Verte",
        "accessibility": "",
        "equipment": "",
        "is_free": "on",
        "price": "",
        "registration_required": "on",
        "capacity": "12",
        "max_places_per_registration": "4",
        "waiting_list_enabled": "on",
        "registration_opens_days": "60",
        "registration_closes_hours": "2",
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def denied(response):
    """Refused: 403/404, or one of Wagtail's redirects away from the object ("no permission" to the
    dashboard, or the explorer sending to the user's own part of the tree)."""
    if response.status_code == 302:
        return response.url != response.request["PATH_INFO"]
    return response.status_code in (403, 404)


def add_url(parent):
    return f"/admin/pages/add/ateliers/eventpage/{parent.pk}/"


# Association entry (snippet)

def test_member_lists_and_edits_only_its_own_association(member_client, mares, apis, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        response = member_client.get("/admin/snippets/associations/association/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Les Amis des Mares" in html and "Apis Sauvage" not in html

    edit = f"/admin/snippets/associations/association/edit/{mares.pk}/"
    assert member_client.get(edit).status_code == 200
    response = member_client.post(edit, {
        "name": "Les Amis des Mares", "slug": mares.slug, "summary": "Nouvelle présentation", "description": rich_text(""),
        "email": "", "phone": "", "website": "", "address": "", "postal_code": "", "city": "Villeneuve",
        "latitude": "", "longitude": "",
    })
    assert response.status_code == 302
    assert Association.objects.get(pk=mares.pk).summary == "Nouvelle présentation"


@pytest.mark.parametrize("view", ["edit", "history", "usage", "delete"])
def test_member_gets_no_other_association(member_client, apis, view):
    url = f"/admin/snippets/associations/association/{view}/{apis.pk}/"
    response = member_client.get(url)
    assert denied(response)
    assert b"Apis Sauvage" not in response.content


def test_member_cannot_change_another_association_by_post(member_client, apis):
    response = member_client.post(
        f"/admin/snippets/associations/association/edit/{apis.pk}/", {"name": "Piraté", "slug": "pirate"}
    )
    assert denied(response)
    assert Association.objects.get(pk=apis.pk).name == "Apis Sauvage"


def test_member_cannot_create_or_delete_associations(member_client, mares):
    assert denied(member_client.get("/admin/snippets/associations/association/add/"))
    assert denied(member_client.post(f"/admin/snippets/associations/association/delete/{mares.pk}/"))
    assert Association.objects.filter(pk=mares.pk).exists()


# Events (pages)

def test_member_creates_an_event_in_its_folder_only(member_client, mares, apis, agenda):
    response = member_client.post(add_url(mares.events_page), event_form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = EventPage.objects.get(slug="sortie-tritons")
    assert event.get_parent().pk == mares.events_page.pk
    assert event.organiser_id == mares.pk
    assert not event.live  # no publish right: only a draft

    for parent in (apis.events_page, agenda):
        response = member_client.post(add_url(parent), event_form_data(slug="ailleurs", title="Ailleurs"))
        assert denied(response)
    assert not EventPage.objects.filter(slug="ailleurs").exists()


def test_forged_organiser_is_ignored(member_client, mares, apis):
    response = member_client.post(add_url(mares.events_page), event_form_data(organiser=str(apis.pk)))
    assert response.status_code == 302
    assert EventPage.objects.get(slug="sortie-tritons").get_latest_revision_as_object().organiser_id == mares.pk


def test_forged_organiser_on_edit_is_ignored(member_client, mares, apis, make_event):
    event = make_event(mares, title="Balade", slug="balade")
    response = member_client.post(
        f"/admin/pages/{event.pk}/edit/", event_form_data(title="Balade", slug="balade", organiser=str(apis.pk))
    )
    assert response.status_code == 302
    assert EventPage.objects.get(pk=event.pk).get_latest_revision_as_object().organiser_id == mares.pk


def test_organiser_field_is_locked_in_the_form(member_client, mares):
    html = member_client.get(add_url(mares.events_page)).content.decode()
    assert 'name="organiser"' in html and "disabled" in html.split('name="organiser"')[1].split(">")[0] + \
        html.split('name="organiser"')[0].rsplit("<", 1)[1]
    assert "Apis Sauvage" not in html


def test_model_forces_the_folder_association(mares, apis, make_event):
    event = make_event(mares, organiser=apis)
    assert EventPage.objects.get(pk=event.pk).organiser_id == mares.pk


def test_member_cannot_open_another_association_events(member_client, other_member, apis, make_event):
    draft = make_event(apis, live=False, title="Brouillon secret des abeilles", slug="brouillon-abeilles")
    for url in (
        f"/admin/pages/{draft.pk}/edit/",
        f"/admin/pages/{draft.pk}/history/",
        f"/admin/pages/{draft.pk}/delete/",
        f"/admin/pages/{draft.pk}/",
        f"/admin/pages/{apis.events_page.pk}/",
    ):
        response = member_client.get(url)
        assert denied(response), url
        assert b"Brouillon secret" not in response.content, url


def test_member_sees_no_other_drafts_in_explorer_search_or_chooser(member_client, agenda, apis, mares, make_event):
    make_event(apis, live=False, title="Brouillon secret des abeilles", slug="brouillon-abeilles")
    own = make_event(mares, live=False, title="Brouillon des mares", slug="brouillon-mares")
    for url in (
        f"/admin/pages/{agenda.pk}/",
        "/admin/pages/search/?q=brouillon",
        "/admin/choose-page/?q=brouillon",
        f"/admin/choose-page/{apis.events_page.pk}/",
        f"/admin/choose-page/search/?q=brouillon",
    ):
        response = member_client.get(url)
        assert b"Brouillon secret" not in response.content, url
    assert own.title in member_client.get("/admin/pages/search/?q=brouillon").content.decode()


# Registrations and dates (wagtail-modeladmin)

@pytest.fixture
def registrations(mares, apis, make_event):
    own = make_event(mares, title="Balade des mares", slug="balade")
    other = make_event(apis, title="Hôtel à insectes", slug="hotel")
    mine = agenda_services.register(own.occurrences.get().pk, name="Léa Martin", email="lea@example.org", places=1)
    theirs = agenda_services.register(
        other.occurrences.get().pk, name="Max Secret", email="max.secret@example.org", places=1
    )
    return mine, theirs


def test_member_lists_and_exports_only_its_registrations(member_client, registrations, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        html = member_client.get("/admin/ateliers/registration/").content.decode()
    assert "Léa Martin" in html and "Max Secret" not in html
    assert "Hôtel à insectes" not in html  # not even in the event filter
    export = member_client.get("/admin/ateliers/registration/", {"export": "csv"})
    content = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert export.status_code == 200
    assert "lea@example.org" in content and "max.secret" not in content
    dates = member_client.get("/admin/ateliers/occurrence/").content.decode()
    assert "Balade des mares" in dates and "Hôtel à insectes" not in dates


def test_member_filtering_by_another_occurrence_gets_nothing(member_client, registrations):
    _mine, theirs = registrations
    export = member_client.get("/admin/ateliers/registration/", {"export": "csv", "occurrence": theirs.occurrence_id})
    content = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert "max.secret" not in content


def test_member_cannot_open_or_change_another_registration(member_client, registrations):
    mine, theirs = registrations
    assert member_client.get(f"/admin/ateliers/registration/edit/{mine.pk}/").status_code == 200
    for url in (
        f"/admin/ateliers/registration/edit/{theirs.pk}/",
        f"/admin/ateliers/registration/delete/{theirs.pk}/",
        f"/admin/ateliers/registration/inspect/{theirs.pk}/",
        f"/admin/ateliers/occurrence/edit/{theirs.occurrence_id}/",
    ):
        response = member_client.get(url)
        assert denied(response), url
        assert b"Max Secret" not in response.content
    response = member_client.post(
        f"/admin/ateliers/registration/edit/{theirs.pk}/", {"attended": "true", "name": "Piraté", "phone": ""}
    )
    assert denied(response)
    assert Registration.objects.get(pk=theirs.pk).name == "Max Secret"
    assert denied(member_client.post(f"/admin/ateliers/registration/delete/{theirs.pk}/"))
    assert Registration.objects.get(pk=theirs.pk).status == Registration.CONFIRMED


def test_member_marks_attendance_on_its_own_registration(member_client, registrations):
    mine, _theirs = registrations
    response = member_client.post(
        f"/admin/ateliers/registration/edit/{mine.pk}/", {"attended": "true", "name": "Léa Martin", "phone": ""}
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=mine.pk).attended is True


def test_librarian_sees_every_registration(librarian_client, registrations):
    html = librarian_client.get("/admin/ateliers/registration/").content.decode()
    assert "Léa Martin" in html and "Max Secret" in html


def test_membership_screens_are_for_librarians_only(member_client, librarian_client, member):
    assert denied(member_client.get("/admin/associations/membres/"))
    assert denied(member_client.get("/admin/associations/membres/new/"))
    assert "marie@example.org" in librarian_client.get("/admin/associations/membres/").content.decode()


def test_member_admin_screens_render(member_client, mares, make_event, django_assert_max_num_queries):
    make_event(mares, title="Balade des mares", slug="balade")
    for url in ("/admin/", f"/admin/pages/{mares.events_page.pk}/", add_url(mares.events_page),
                "/admin/ateliers/occurrence/", "/admin/ateliers/registration/"):
        with django_assert_max_num_queries(80):
            response = member_client.get(url)
        assert response.status_code == 200, url
    assert "Balade des mares" in member_client.get(f"/admin/pages/{mares.events_page.pk}/").content.decode()
