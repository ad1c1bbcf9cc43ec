"""Lending in a real Chromium: sign up → reserve → the desk lends → another resident queues → return → offer."""

import datetime
import re

import pytest
from django.utils import timezone

from ateliers.models import OutgoingEmail
from prets.models import Hold, LendingCatalogPage, LendingPoint, Loan, OpeningHours, ThingPage, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(live_server, email):
    body = OutgoingEmail.objects.filter(kind="prets_signup", to=email).latest("pk").body_text
    url = re.search(r"https?://\S+/espace/\S+/", body).group(0)
    return live_server.url + re.sub(r"^https?://[^/]+", "", url)


def test_reserve_lend_queue_return_offer(live_server, page, shot, home_page, django_user_model):
    point = LendingPoint.objects.create(name="La Grange aux Savoirs")
    for weekday in range(7):
        OpeningHours.objects.create(point=point, weekday=weekday, opens=datetime.time(9), closes=datetime.time(19))
    catalogue = LendingCatalogPage(title="Outilthèque", slug="outilotheque")
    home_page.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    thing = ThingPage(title="Grelinette", slug="grelinette", category="outils", loan_days=14)
    catalogue.add_child(instance=thing)
    thing.save_revision().publish()
    Unit.objects.create(thing=thing, lending_point=point, code="G-1")
    django_user_model.objects.create_superuser("agent", "agent@example.org", "mot-de-passe-solide")
    today = timezone.localdate()

    # A resident signs up from the catalogue, then opens the link of the e-mail.
    page.goto(live_server.url + catalogue.url)
    shot("catalogue")
    page.get_by_role("link", name="S’inscrire pour emprunter").click()
    page.get_by_label("Nom et prénom").fill("Camille Martin")
    page.get_by_label("Adresse e-mail").fill("camille@example.org")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="M’inscrire").click()
    page.get_by_text("vient de vous être envoyé").wait_for()
    shot("inscrite")
    page.goto(_link(live_server, "camille@example.org"))
    page.get_by_role("heading", name="Mon espace emprunteur").wait_for()

    # She reserves the only unit from today.
    page.goto(live_server.url + thing.url)
    page.get_by_role("link", name="Réserver").click()
    page.get_by_label("Date de retrait").fill(today.isoformat())
    page.get_by_label("Date de retour").fill((today + datetime.timedelta(days=3)).isoformat())
    shot("reservation")
    page.get_by_role("button", name="Réserver", exact=True).click()
    page.get_by_text("C’est noté").wait_for()
    assert "Grelinette" in page.content()
    shot("espace-reservation")
    loan = Loan.objects.get()

    # The desk lends it.
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("agent")
    page.locator("#id_password").fill("mot-de-passe-solide")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(live_server.url + "/admin/prets/guichet/")
    page.get_by_role("button", name="Prêter", exact=True).click()
    page.get_by_text("Prêt enregistré").wait_for()
    shot("guichet-pret")
    loan.refresh_from_db()
    assert loan.status == "out"

    # A second resident finds no free unit and joins the queue.
    page.goto(live_server.url + catalogue.url + "inscription/")
    page.get_by_label("Nom et prénom").fill("Louis Bernard")
    page.get_by_label("Adresse e-mail").fill("louis@example.org")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="M’inscrire").click()
    page.get_by_text("vient de vous être envoyé").wait_for()
    page.goto(_link(live_server, "louis@example.org"))
    page.goto(live_server.url + thing.url + "reserver/")
    page.get_by_label("Date de retrait").fill(today.isoformat())
    page.get_by_label("Date de retour").fill((today + datetime.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Réserver", exact=True).click()
    page.get_by_text("Aucun exemplaire n’est libre").or_(page.get_by_text("Aucun exemplaire n'est libre")).wait_for()
    shot("aucun-libre")
    page.get_by_role("button", name="Rejoindre la file d’attente").click()
    page.get_by_text("position 1 dans la file").wait_for()
    shot("file-attente")

    # The unit comes back: the desk records its condition; the first in the queue is offered it.
    page.goto(live_server.url + "/admin/prets/guichet/")
    page.get_by_label("Emprunteur (nom, e-mail, n° de carte) ou objet (titre, n° d’inventaire)").fill("G-1")
    page.get_by_role("button", name="Chercher", exact=True).click()
    page.get_by_label("État au retour").first.select_option("use")
    page.get_by_role("button", name="Enregistrer le retour").first.click()
    page.get_by_text("Retour enregistré").wait_for()
    shot("guichet-retour")
    hold = Hold.objects.get()
    assert hold.status == "offered"
    assert OutgoingEmail.objects.filter(kind="prets_offer", to="louis@example.org").exists()
    page.goto(_link(live_server, "louis@example.org"))
    page.get_by_text("Exemplaire proposé : à retirer avant le").wait_for()
    shot("offre")
