"""Public pages: catalogue with availability, sign-up, the signed space, reservation, seed log, /api/prets/."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ateliers.models import OutgoingEmail
from prets import services
from prets.choices import LOAN_OUT, LOAN_RESERVED
from prets.models import Borrower, Loan
from prets.tokens import make_token, space_url

DAY = datetime.timedelta(days=1)


def _monday(today):
    return today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)


def test_catalogue_shows_availability_and_filters(client, make_thing, borrower, point, today):
    free = make_thing("Jumelles", category="observation", units=2)
    busy = make_thing("Bêche")
    loan = services.lend_now(borrower.pk, busy.units.get().pk, today=today)
    services.join_queue(services.signup("Inès", "ines@example.org", consent=True).pk, busy.pk)
    response = client.get(busy.get_parent().url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jumelles" in html and "disponible" in html
    assert f"prochain retour le {loan.due_date.day}" in html
    assert "1 personne attend" in html
    filtered = client.get(busy.get_parent().url, {"category": "observation"}).content.decode()
    assert "Jumelles" in filtered and "Bêche" not in filtered
    available = client.get(busy.get_parent().url, {"available": "on"}).content.decode()
    assert "Jumelles" in available and "Bêche" not in available
    bad = client.get(busy.get_parent().url, {"category": "<script>", "page": "x"})
    assert bad.status_code == 200 and "ignorés" in bad.content.decode()
    assert free.live


def test_catalogue_queries_do_not_grow_with_things(client, make_thing, catalogue):
    make_thing("Objet 1")
    with CaptureQueriesContext(connection) as few:
        client.get(catalogue.url)
    for index in range(2, 8):
        make_thing(f"Objet {index}", units=2)
    with CaptureQueriesContext(connection) as many:
        client.get(catalogue.url)
    assert len(many) <= len(few) + 1


def test_signup_sends_the_link_and_errors_are_french(client, catalogue):
    url = catalogue.url + "inscription/"
    response = client.post(url, {"name": "", "email": "faux", "consent": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cette adresse e-mail n" in html and "Votre accord est nécessaire" in html
    assert not Borrower.objects.exists()
    response = client.post(url, {"name": "Camille Martin", "email": "camille@example.org", "consent": "on"})
    assert response.status_code == 200 and "vient de vous être envoyé" in response.content.decode()
    borrower = Borrower.objects.get()
    email = OutgoingEmail.objects.get(kind="prets_signup")
    assert make_token(borrower) in email.body_text and email.body_text.count("http://") + email.body_text.count("https://") == 1


def test_tampered_link_is_a_clear_404(client, catalogue, borrower):
    token = make_token(borrower)
    assert client.get(f"{catalogue.url}espace/{token}/").status_code == 200
    tampered = token[:-1] + ("1" if token.endswith("0") else "0")  # never the token itself
    response = client.get(f"{catalogue.url}espace/{tampered}/")
    assert response.status_code == 404 and "pas valide" in response.content.decode()
    assert client.get(f"{catalogue.url}espace/99999-abc/").status_code == 404


def test_reserve_through_the_remembered_space(client, thing, borrower, point, today):
    reserve_url = thing.url + "reserver/"
    assert "ouvrez d’abord votre espace" in client.get(reserve_url).content.decode()
    client.get(space_url(borrower))
    start = _monday(today)
    response = client.post(reserve_url, {"point": point.pk, "start": (start + DAY).isoformat(),
                                         "end": start.isoformat(), "action": "reserve"})
    assert response.status_code == 400 and "doit suivre" in response.content.decode()
    response = client.post(reserve_url, {"point": point.pk, "start": "31/02/2030", "end": "x", "action": "reserve"})
    assert response.status_code == 400 and "Date de retrait invalide" in response.content.decode()
    assert not Loan.objects.exists()
    response = client.post(reserve_url, {"point": point.pk, "start": start.isoformat(),
                                         "end": (start + 2 * DAY).isoformat(), "action": "reserve"})
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert loan.status == LOAN_RESERVED and loan.borrower == borrower
    space = client.get(response["Location"]).content.decode()
    assert thing.title in space and "Réservé" in space


def test_space_actions(client, thing, borrower, make_borrower, point, today):
    loan = services.lend_now(borrower.pk, thing.units.get().pk, today=today)
    url = space_url(borrower)
    response = client.post(url, {"action": "renew", "id": str(loan.pk)})
    assert response.status_code == 200 and "prolongé" in response.content.decode()
    response = client.post(url, {"action": "renew", "id": str(loan.pk)})
    assert response.status_code == 400 and "déjà été prolongé" in response.content.decode()
    response = client.post(url, {"action": "drop-table", "id": "1;"})
    assert response.status_code == 400
    other = make_borrower()
    client.get(space_url(other))
    response = client.post(thing.url + "reserver/", {"action": "queue"})
    assert response.status_code == 302
    space = client.get(space_url(other)).content.decode()
    assert "position 1 dans la file" in space
    assert Loan.objects.get(pk=loan.pk).status == LOAN_OUT


def test_api_lists_things_and_varieties_without_personal_data(client, make_thing, borrower, today, home_page):
    from prets.models import SeedLibraryPage, SeedVarietyPage

    thing = make_thing("Jumelles", units=2)
    services.lend_now(borrower.pk, thing.units.first().pk, today=today)
    library = SeedLibraryPage(title="Grainothèque", slug="grainotheque")
    home_page.add_child(instance=library)
    library.add_child(instance=SeedVarietyPage(title="Souci", slug="souci", sowing_months=[3, 4]))
    for index in range(3):
        make_thing(f"Objet {index}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/prets/")
    assert len(queries) < 12
    data = response.json()
    jumelles = next(item for item in data["things"] if item["title"] == "Jumelles")
    assert jumelles["units"] == 2 and jumelles["available"] == 1 and jumelles["next_return"]
    assert jumelles["url"].startswith("http")
    assert data["varieties"][0]["sowing_months"] == [3, 4]
    assert borrower.email not in response.content.decode() and borrower.name not in response.content.decode()


def test_seed_give_and_take_form(client, home_page):
    from prets.models import SeedLibraryPage, SeedVarietyPage

    library = SeedLibraryPage(title="Grainothèque", slug="grainotheque")
    home_page.add_child(instance=library)
    variety = SeedVarietyPage(title="Souci", slug="souci", sowing_months=[3, 4], harvest_months=[8])
    library.add_child(instance=variety)
    page = client.get(variety.url).content.decode()
    assert "Calendrier" in page and "mars" in page
    response = client.post(variety.url, {"kind": "take", "packets": "2"})
    assert response.status_code == 400 and "Il ne reste que 0 sachet" in response.content.decode()
    response = client.post(variety.url, {"kind": "give", "packets": "4", "note": "récoltée à Villeneuve"})
    assert response.status_code == 302
    assert SeedVarietyPage.objects.get(pk=variety.pk).packets_in_stock == 4
    response = client.post(variety.url, {"kind": "give", "packets": "-3"})
    assert response.status_code == 400 and "Au moins un sachet" in response.content.decode()


@pytest.mark.parametrize("path", ["reserver/", ""])
def test_thing_pages_render(client, thing, path):
    assert client.get(thing.url + path).status_code == 200
