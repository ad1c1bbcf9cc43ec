"""Agenda interface: month navigation, personal link confirmation, full dates, form accessibility."""

import re
from html import unescape

from ateliers import services
from ateliers.models import Registration

from .conftest import reload

FORM = {"name": "Léa Martin", "email": "lea@example.org", "places": "2", "phone": "", "consent": "on"}


def links(html, rel):
    return unescape(re.search(rf'<a href="([^"]*)" rel="{rel}"', html).group(1))


def test_month_navigation_links_are_absolute(client, agenda, make_event):
    response = client.get(f"{agenda.url}mois/2026/12/", {"kind": "balade"})
    html = response.content.decode()
    previous, following = links(html, "prev"), links(html, "next")
    assert previous == f"{agenda.url}mois/2026/11/?kind=balade"
    assert following == f"{agenda.url}mois/2027/1/?kind=balade"
    assert client.get(previous).status_code == 200
    assert client.get(following).status_code == 200
    # From the list, the month view link is absolute too.
    month = re.search(r'<a href="([^"]*)">Vue par mois', client.get(agenda.url).content.decode()).group(1)
    assert month.startswith(agenda.url) and client.get(month).status_code == 200


def test_personal_link_asks_before_cancelling(client, make_occurrence, mailoutbox, django_capture_on_commit_callbacks):
    occurrence = make_occurrence(capacity=1)
    first = services.register(occurrence.pk, name="A", email="a@example.org", places=1)
    waiting = services.register(occurrence.pk, name="B", email="b@example.org", places=1, wants_waiting_list=True)
    url = first.get_manage_url()
    # The page from the e-mail shows the registration and a link to the confirmation step, no cancelling form.
    html = client.get(url).content.decode()
    assert "Annuler mon inscription" in html and f'href="{url}?annuler=1"' in html
    assert "confirm_cancel" not in html
    # The confirmation step (plain GET, works without JavaScript) cancels nothing by itself.
    html = client.get(url, {"annuler": "1"}).content.decode()
    assert "Confirmer l’annulation" in html and 'name="action" value="confirm_cancel"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    # The former one-step POST only leads to the confirmation.
    html = client.post(url, {"action": "cancel"}).content.decode()
    assert "Confirmer l’annulation" in html
    assert Registration.objects.get(pk=first.pk).status == Registration.CONFIRMED
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "confirm_cancel"})
    assert "Votre inscription est annulée" in response.content.decode()
    assert Registration.objects.get(pk=first.pk).status == Registration.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == Registration.CONFIRMED
    assert reload(occurrence).confirmed_places == 1


def test_confirmation_post_needs_csrf(make_occurrence):
    from django.test import Client

    registration = services.register(make_occurrence().pk, name="A", email="a@example.org", places=1)
    response = Client(enforce_csrf_checks=True).post(registration.get_manage_url(), {"action": "confirm_cancel"})
    assert response.status_code == 403
    assert Registration.objects.get().status == Registration.CONFIRMED


def test_full_date_form_is_the_waiting_list(client, make_occurrence, mailoutbox, django_capture_on_commit_callbacks):
    occurrence = make_occurrence(capacity=2)
    services.register(occurrence.pk, name="A", email="a@example.org", places=2)
    services.register(occurrence.pk, name="B", email="b@example.org", places=1, wants_waiting_list=True)
    url = occurrence.get_registration_url()
    html = client.get(url).content.decode()
    assert "Cette date est complète" in html and "M’inscrire sur la liste d’attente</button>" in html
    assert 'name="waiting_list"' not in html
    # No box to tick: sending the form is the waiting-list request.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**FORM, "places": "1"})
    assert response.status_code == 302
    registration = Registration.objects.get(email="lea@example.org")
    assert registration.status == Registration.WAITING and registration.waiting_position() == 2
    assert "envoyee=attente" in response["Location"]  # the same answer as for a known address
    html = client.get(registration.get_manage_url()).content.decode()  # the personal link of the e-mail
    assert "n° 2 dans la file d’attente" in html
    assert "laisser votre place" not in html and "libérer votre place" not in html
    assert "Quitter la liste d’attente" in html
    waiting_mail = mailoutbox[-1]
    assert "place n° 2 dans la file" in waiting_mail.body
    assert "place n° 2 dans la file" in waiting_mail.alternatives[0][0]
    assert "laissez votre place" not in waiting_mail.body


def test_date_with_seats_keeps_the_usual_button(client, make_occurrence):
    html = client.get(make_occurrence(capacity=3).get_registration_url()).content.decode()
    assert "Valider mon inscription</button>" in html and 'name="waiting_list"' in html


def test_registration_form_describedby_ids_exist(client, occurrence):
    url = occurrence.get_registration_url()
    for response in (client.get(url), client.post(url, {**FORM, "places": "9", "email": "x@"})):
        html = response.content.decode()
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        described = [value for group in re.findall(r'aria-describedby="([^"]+)"', html) for value in group.split()]
        assert "id_places_helptext" in described and "id_phone_helptext" in described
        assert set(described) <= ids, set(described) - ids


def test_failed_submit_shows_an_error_summary_linking_to_fields(client, occurrence):
    response = client.post(occurrence.get_registration_url(), {**FORM, "places": "9", "email": "x@", "consent": ""})
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div [^>]*data-error-summary.*?</div>', html, re.S).group(0)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    for field in ("id_places", "id_email", "id_consent"):
        assert f'href="#{field}"' in summary and f'id="{field}"' in html
    assert 'aria-invalid="true"' in html and "id_places_error" in html
    assert "js/error-summary.js" in html
    # The summary is only there after a failed submit.
    assert "data-error-summary" not in client.get(occurrence.get_registration_url()).content.decode()
