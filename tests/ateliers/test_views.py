import datetime
import json
import re

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction, ReferenceIndex

from ateliers import services
from ateliers.models import Occurrence, Registration
from ateliers.tokens import make_token
from biodiversitheque.core.models import Theme
from tests.factories import AssociationFactory

from .conftest import reload

FORM = {"name": "Léa Martin", "email": "lea@example.org", "places": "2", "phone": "", "consent": "on"}


def registration_url(occurrence):
    return occurrence.get_registration_url()


def test_calendar_lists_upcoming_and_filters(client, make_event, agenda, django_assert_max_num_queries):
    theme = Theme.objects.get_or_create(slug="haies", defaults={"name": "Haies"})[0]
    walk = make_event(title="Balade des haies", kind="balade")
    walk.themes.set([theme])
    walk.save()
    make_event(title="Atelier nichoirs", kind="atelier")
    for index in range(5):
        make_event(title=f"Atelier {index}", kind="atelier")
    # New pages rebuild the cached page shell: this first request pays it too (26 with the menu's summaries).
    with django_assert_max_num_queries(26):
        response = client.get(agenda.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Balade des haies" in html and "Atelier nichoirs" in html
    html = client.get(agenda.url, {"kind": "balade"}).content.decode()
    assert "Balade des haies" in html and "Atelier nichoirs" not in html
    html = client.get(agenda.url, {"theme": "haies"}).content.decode()
    assert "Balade des haies" in html and "Atelier nichoirs" not in html
    # Invalid filter values are ignored, never an error.
    assert client.get(agenda.url, {"kind": "nimporte", "date_from": "hier"}).status_code == 200


def test_calendar_query_count_does_not_grow(client, make_event, agenda, django_assert_max_num_queries):
    make_event()
    with django_assert_max_num_queries(26) as few:  # shell rebuilt after new pages included, as below
        client.get(agenda.url)
    for _ in range(8):
        make_event()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(agenda.url)


def test_places_left_filter_and_empty_state(client, make_occurrence, agenda):
    full = make_occurrence(capacity=1, title="Complet")
    services.register(full.pk, name="A", email="a@example.org", places=1)
    make_occurrence(capacity=3, title="Encore libre")
    html = client.get(agenda.url, {"places": "on"}).content.decode()
    assert "Encore libre" in html and "Complet</a>" not in html
    html = client.get(agenda.url, {"kind": "conference"}).content.decode()
    assert "Aucune activité ne correspond" in html


def test_organiser_filter(client, make_event, agenda):
    association = AssociationFactory(name="Les Amis des Mares", slug="les-amis-des-mares")
    make_event(title="Mare en fête", organiser=association)
    make_event(title="Atelier maison")
    html = client.get(agenda.url, {"organiser": "les-amis-des-mares"}).content.decode()
    assert "Mare en fête" in html and "Atelier maison" not in html
    html = client.get(agenda.url, {"organiser": "biodiversitheque"}).content.decode()
    assert "Mare en fête" not in html and "Atelier maison" in html


def test_month_view_and_archive(client, make_occurrence, agenda):
    occurrence = make_occurrence(days=3, title="Chantier mare")
    local = timezone.localtime(occurrence.start)
    response = client.get(f"{agenda.url}mois/{local.year}/{local.month:02d}/")
    assert response.status_code == 200 and "Chantier mare" in response.content.decode()
    assert client.get(f"{agenda.url}mois/2026/13/").status_code == 404
    past = timezone.now() - datetime.timedelta(days=20)
    Occurrence.objects.filter(pk=occurrence.pk).update(start=past, end=past + datetime.timedelta(hours=1))
    assert "Chantier mare" in client.get(f"{agenda.url}archives/").content.decode()
    assert "Chantier mare" not in client.get(agenda.url).content.decode()


def test_month_view_shows_a_bounded_number_per_day(client, make_event, agenda, django_assert_max_num_queries):
    day = timezone.localdate() + datetime.timedelta(days=40)
    for hour in range(5):
        make_event(title=f"Atelier de {8 + hour} h", first_date=day, start_time=datetime.time(8 + hour))
    url = f"{agenda.url}mois/{day.year}/{day.month:02d}/"
    with django_assert_max_num_queries(25) as few:
        html = client.get(url, {"kind": "atelier"}).content.decode()
    baseline = len(few.captured_queries)  # read now: the log is reset by later requests
    assert "Atelier de 8 h" in html and "Atelier de 10 h" in html and "Atelier de 11 h" not in html
    assert "+ 2 autres" in html
    more = re.search(r'class="agenda-month__more" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert f"date_from={day.isoformat()}" in more and "kind=atelier" in more
    listing = client.get(more).content.decode()
    assert "Atelier de 11 h" in listing and "Atelier de 12 h" in listing
    for hour in range(5):
        make_event(title=f"Autre {hour}", first_date=day + datetime.timedelta(days=1))
    with django_assert_max_num_queries(baseline):
        client.get(url, {"kind": "atelier"})


def test_event_page_has_schema_org_json_ld(client, make_event):
    event = make_event(title="Balade </script><b>", kind="balade", latitude="47.394100", longitude="0.684800")
    html = client.get(event.url).content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data[0]["@type"] == "Event" and data[0]["name"] == "Balade </script><b>"
    assert data[0]["location"]["geo"]["latitude"] == 47.3941
    assert "lea@" not in html


def test_registration_form_works_without_javascript(
    client, occurrence, mailoutbox, django_capture_on_commit_callbacks
):
    url = registration_url(occurrence)
    page = client.get(url)
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert "Il reste 5 places" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, FORM)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == Registration.CONFIRMED
    confirmation = client.get(response["Location"])
    assert "votre inscription est confirmée" in confirmation.content.decode()
    assert confirmation["Cache-Control"].startswith("max-age=0") or "no-store" in confirmation["Cache-Control"]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject.startswith("Inscription confirmée")
    assert message.attachments[0][0] == "activite.ics" and "BEGIN:VEVENT" in message.attachments[0][1]
    assert make_token(registration) in message.body
    assert message.alternatives[0][1] == "text/html"


def test_csrf_is_enforced(occurrence):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(registration_url(occurrence), FORM)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"places": "0"}, "au moins 1"),
        ({"places": "-1"}, "au moins 1"),
        ({"places": "9"}, "limitée à 4 places"),
        ({"places": "deux"}, "Indiquez un nombre de places"),
        ({"email": "lea@"}, "adresse e-mail n&#x27;est pas valide"),
        ({"consent": ""}, "Votre accord est nécessaire"),
        ({"name": ""}, "Champ requis"),
    ],
)
def test_bad_input_gets_a_french_message(client, occurrence, data, message):
    response = client.post(registration_url(occurrence), {**FORM, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_full_date_offers_waiting_list(client, make_occurrence):
    occurrence = make_occurrence(capacity=2)
    services.register(occurrence.pk, name="A", email="a@example.org", places=2)
    url = registration_url(occurrence)
    assert "liste d’attente" in client.get(url).content.decode()
    # On a full date, the form is the waiting-list request (no box to tick).
    response = client.post(url, {**FORM, "places": "1"})
    assert response.status_code == 302
    assert "sur la liste d’attente" in client.get(response["Location"]).content.decode()


def _without_csrf(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.mark.parametrize("waiting_list", [False, True])
def test_someone_elses_email_gets_the_same_answer_as_a_new_registration(
    client, make_occurrence, mailoutbox, django_capture_on_commit_callbacks, waiting_list
):
    occurrence = make_occurrence(capacity=1 if waiting_list else 5)
    existing = services.register(occurrence.pk, name="Léa Martin", email="lea@example.org", places=1)
    url = registration_url(occurrence)
    attempt = {**FORM, "name": "Zoé Curieuse", "places": "1"}
    if waiting_list:
        attempt["waiting_list"] = "on"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(url, {**attempt, "email": "nouveau@example.org"})
    new_page = client.get(new["Location"])
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {**attempt, "email": "LEA@example.org"})
    known_page = client.get(known["Location"])

    assert (new.status_code, known.status_code) == (302, 302)
    assert new["Location"] == known["Location"]
    assert new_page.status_code == known_page.status_code == 200
    assert _without_csrf(new_page) == _without_csrf(known_page)
    expected = "liste d’attente" if waiting_list else "votre inscription est confirmée"
    assert expected in known_page.content.decode()
    assert "Léa" not in known_page.content.decode() and "Zoé" not in known_page.content.decode()
    # The known address gets its own personal link; nothing was registered in its name.
    assert Registration.objects.filter(email__iexact="lea@example.org").count() == 1
    link = [message for message in mailoutbox if message.to == ["lea@example.org"]]
    assert len(link) == 1 and make_token(existing) in link[0].body
    assert link[0].subject.startswith("Votre lien personnel")


def test_a_known_email_on_a_full_date_is_refused_like_a_new_one(client, make_occurrence):
    occurrence = make_occurrence(capacity=1)
    services.register(occurrence.pk, name="Léa Martin", email="lea@example.org", places=1)
    url = registration_url(occurrence)
    new = client.post(url, {**FORM, "places": "1", "email": "nouveau@example.org"})
    known = client.post(url, {**FORM, "places": "1", "email": "lea@example.org"})
    # A full date takes both on its waiting list: the same redirect, whoever is already registered.
    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"] and "envoyee=attente" in new["Location"]


def test_resend_link_answers_the_same_for_any_address(
    client, occurrence, mailoutbox, django_capture_on_commit_callbacks
):
    services.register(occurrence.pk, name="Léa Martin", email="lea@example.org", places=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(registration_url(occurrence), {"action": "resend", "email": "lea@example.org"})
    assert "le lien personnel vient de lui être renvoyé" in response.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lea@example.org"]
    response = client.post(registration_url(occurrence), {"action": "resend", "email": "x@example.org"})
    assert "le lien personnel vient de lui être renvoyé" in response.content.decode()
    assert len(mailoutbox) == 1


def test_closed_and_cancelled_dates(client, make_occurrence):
    later = make_occurrence(days=40, registration_opens_days=10)
    html = client.get(registration_url(later)).content.decode()
    assert "Les inscriptions ouvriront le" in html
    response = client.post(registration_url(later), FORM)
    assert "ouvriront le" in response.content.decode() and not Registration.objects.exists()
    cancelled = make_occurrence(days=5)
    services.cancel_occurrence(cancelled.pk, "Crue")
    assert "annulée" in client.get(registration_url(cancelled)).content.decode()


def test_manage_link_cancels_and_promotes(client, make_occurrence, mailoutbox, django_capture_on_commit_callbacks):
    occurrence = make_occurrence(capacity=1)
    first = services.register(occurrence.pk, name="A", email="a@example.org", places=1)
    waiting = services.register(occurrence.pk, name="B", email="b@example.org", places=1, wants_waiting_list=True)
    url = first.get_manage_url()
    page = client.get(url)
    assert page.status_code == 200 and "Annuler mon inscription" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "confirm_cancel"})
    assert "Votre inscription est annulée" in response.content.decode()
    assert Registration.objects.get(pk=waiting.pk).status == Registration.CONFIRMED
    assert {tuple(m.to) for m in mailoutbox} == {("a@example.org",), ("b@example.org",)}
    assert reload(occurrence).confirmed_places == 1


def test_tampered_expired_and_late_links(client, occurrence, agenda):
    registration = services.register(occurrence.pk, name="A", email="a@example.org", places=1)
    url = registration.get_manage_url()
    tampered = url.rstrip("/")[:-3] + "abc/"
    response = client.get(tampered)
    assert response.status_code == 404 and "incomplet ou invalide" in response.content.decode()
    Occurrence.objects.filter(pk=occurrence.pk).update(start=timezone.now() - datetime.timedelta(minutes=30))
    response = client.post(url, {"action": "cancel"})
    assert "ne peut plus être annulée" in response.content.decode()
    assert Registration.objects.get().status == Registration.CONFIRMED
    Occurrence.objects.filter(pk=occurrence.pk).update(end=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(url)
    assert response.status_code == 410 and "expiré" in response.content.decode()


def test_registration_form_and_post_query_counts(
    client, occurrence, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    url = registration_url(occurrence)
    # Caches warmed (site root paths, the event's fields, the page around the form); the first read of the
    # site settings creates their row, which starts a new cache generation: hence two requests.
    client.get(url)
    client.get(url)
    with django_assert_max_num_queries(2):  # the date, its view restrictions: no walk through the page tree
        assert client.get(url).status_code == 200
    # The date and its view restrictions (the event's rules come from the page's cache, not a second read),
    # then in the transaction (a savepoint here): the date locked, the address, the registration, the
    # counters recounted in one UPDATE, the e-mail queued; no usage index, no site lookup for the redirect.
    with django_assert_max_num_queries(9), django_capture_on_commit_callbacks(execute=False):
        assert client.post(url, FORM).status_code == 302
    assert Registration.objects.get().status == Registration.CONFIRMED
    assert not ReferenceIndex.objects.filter(content_type__app_label="ateliers").exclude(
        content_type__model__in=["eventpage", "agendapage"]).exists()


def test_cached_registration_page_follows_the_places_and_never_shares_a_token(client, make_occurrence):
    occurrence = make_occurrence(capacity=3)
    url = registration_url(occurrence)
    first, second = Client(), Client()
    html = first.get(url).content.decode()
    assert "Il reste 3 places." in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    other = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.get(url).content.decode()).group(1)
    assert token != other and "registration-csrf-token" not in html and "registration-body" not in html
    services.register(occurrence.pk, name="A", email="a@example.org", places=2)
    assert "Il reste 1 place." in first.get(url).content.decode()  # the cached page is keyed by the places
    # A submitted form is rendered for its request: values and errors are never cached.
    response = first.post(url, {**FORM, "email": "pas-une-adresse", "places": "1"})
    assert response.status_code == 400 and "pas-une-adresse" in response.content.decode()
    assert "pas-une-adresse" not in second.get(url).content.decode()


def test_registration_page_of_a_private_or_unpublished_event_goes_through_wagtail(client, occurrence):
    url = registration_url(occurrence)
    assert client.get(url).status_code == 200  # served (and cached) by the direct path
    restriction = PageViewRestriction.objects.create(page=occurrence.event.get_parent(), restriction_type="login")
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]  # Wagtail's own answer
    restriction.delete()
    occurrence.event.unpublish()
    assert client.get(url).status_code == 404
    # A path that is not the event's: not found, as Wagtail's routing says.
    assert client.get(url.replace(occurrence.event.slug, "autre-activite")).status_code == 404
