"""The brief's flows in a real Chromium, one screenshot per step (test-artifacts/screenshots/)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from ateliers.models import AssociationEventsPage
from associations.services import invite_member
from ateliers import services
from ateliers.models import EventPage, Registration
from biodiversitheque.search import services as search
from ressources.models import GuidePage
from tests.factories import GuidePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_login(page, live_server, username, password):
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))


def click_action(page, selector):
    """Wagtail's footer actions live in a dropdown: click the button itself, as the menu item does."""
    with page.expect_navigation():
        page.evaluate("selector => document.querySelector(selector).click()", selector)


def test_librarian_publishes_a_guide_and_finds_it(live_server, page, shot, small_site, django_user_model):
    django_user_model.objects.create_superuser("bibliothecaire", "b@example.org", "mot-de-passe-solide")
    admin_login(page, live_server, "bibliothecaire", "mot-de-passe-solide")
    shot("tableau-de-bord")
    page.goto(live_server.url + f"/admin/pages/add/ressources/guidepage/{small_site.resources.pk}/")
    page.locator("#id_title").fill("Planter une haie de noisetiers")
    page.locator("#id_summary").fill("Choisir, planter et entretenir une haie champêtre de noisetiers.")
    # Wagtail fills the slug from the title in the browser; publishing before it has would be refused.
    page.wait_for_function("document.querySelector('#id_slug').value !== ''")
    shot("nouveau-guide", doc="admin-nouveau-guide")
    click_action(page, 'button[name="action-publish"]')
    shot("publie")
    guide = GuidePage.objects.get(title="Planter une haie de noisetiers")
    assert guide.live
    page.goto(live_server.url + "/recherche/?q=noisetiers")
    shot("recherche")
    page.locator(".search-results a", has_text="Planter une haie de noisetiers").first.click()
    page.wait_for_url(live_server.url + guide.url)
    shot("guide")


def test_librarian_previews_an_unsaved_guide(live_server, page, shot, small_site, django_user_model):
    django_user_model.objects.create_superuser("bibliothecaire", "b@example.org", "mot-de-passe-solide")
    admin_login(page, live_server, "bibliothecaire", "mot-de-passe-solide")
    page.goto(live_server.url + f"/admin/pages/add/ressources/guidepage/{small_site.resources.pk}/")
    page.locator("#id_title").fill("Planter une haie de noisetiers")
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("#w-preview-iframe").locator("h1")
    preview.filter(has_text="Planter une haie de noisetiers").wait_for(timeout=5_000)
    shot("apercu")


@pytest.mark.parametrize("query, title", [
    ("herison", "Accueillir le hérisson au jardin"), ("mares", "Créer une mare naturelle"),
])
def test_resident_finds_a_guide_with_a_loose_query(live_server, page, shot, small_site, query, title):
    GuidePageFactory(
        parent=small_site.resources, title="Accueillir le hérisson au jardin", slug="accueillir-le-herisson",
        summary="Un passage dans la clôture, un tas de bois et pas d'anti-limaces.",
    )
    search.rebuild(progress=lambda *args: None)  # factories save pages without the publish signal
    page.goto(live_server.url + "/recherche/")
    page.locator("#search-q").fill(query)
    page.locator("#search-q").press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?"))
    shot("resultats", doc="recherche-resultats")
    page.locator(".search-results a", has_text=title).first.click()
    page.wait_for_load_state()
    shot("resultat-ouvert")
    assert page.locator("h1").inner_text().strip() == title


def test_resident_registers_cancels_and_the_waiting_person_is_promoted(live_server, page, shot, small_site):
    occurrence = small_site.occurrence  # capacity 2
    services.register(occurrence.pk, name="Paul Plein", email="paul@example.org", places=2)
    waiting = services.register(
        occurrence.pk, name="Wanda Attente", email="wanda@example.org", places=1, wants_waiting_list=True
    )
    assert waiting.status == Registration.WAITING if hasattr(Registration, "WAITING") else True
    mail.outbox.clear()
    # The calendar, filtered by kind.
    page.goto(live_server.url + small_site.agenda.url)
    shot("agenda", doc="agenda")
    page.goto(live_server.url + small_site.agenda.url + "?kind=balade")
    shot("agenda-filtre")
    page.get_by_role("link", name="Balade des mares").first.click()
    page.wait_for_load_state()
    shot("evenement")
    # The date is full: Paul registers on the waiting list... rather, Paul cancels through his e-mail link.
    paul = Registration.objects.get(email="paul@example.org")
    page.goto(live_server.url + paul.get_manage_url())
    shot("lien-personnel")
    page.get_by_role("link", name="Annuler mon inscription").click()
    page.wait_for_load_state()
    shot("confirmation-demandee")
    assert Registration.objects.get(pk=paul.pk).is_active  # the e-mail link alone cancels nothing
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer l’annulation").click()
    shot("annulee")
    assert "Votre inscription est annulée" in page.content()
    waiting.refresh_from_db()
    assert waiting.is_active and waiting.status == "confirmed"
    assert any("wanda@example.org" in message.to for message in mail.outbox)


def test_resident_registers_with_the_keyboard_only(live_server, page, shot, small_site):
    page.goto(live_server.url + small_site.occurrence.get_registration_url())
    shot("formulaire", doc="inscription-formulaire")
    page.locator("#id_name").focus()
    page.keyboard.type("Léa Martin")
    page.keyboard.press("Tab")
    page.keyboard.type("lea@example.org")
    # Tab through to the consent box and the button: Space ticks, Enter submits.
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "consent":
            page.keyboard.press("Space")
            break
    assert page.locator("#id_consent").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"envoyee=confirmee"))
    shot("confirmation")
    assert Registration.objects.filter(email="lea@example.org").exists()
    assert any("lea@example.org" in message.to for message in mail.outbox)
    # The personal link from the e-mail, then cancel with the keyboard.
    body = mail.outbox[-1].body
    path = re.search(r"https?://[^/\s]+(/\S*/inscription/[0-9a-f-]+/)", body).group(1)
    page.goto(live_server.url + path)
    page.get_by_role("link", name="Annuler mon inscription").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("button", name="Confirmer l’annulation").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    shot("annulation")
    assert not Registration.objects.get(email="lea@example.org").is_active


def test_focus_moves_to_the_error_summary_after_a_failed_submit(live_server, page, shot, small_site):
    page.goto(live_server.url + small_site.occurrence.get_registration_url())
    page.locator("#id_name").fill("Léa Martin")
    page.locator("#id_email").fill("lea@")
    with page.expect_navigation():
        page.locator("button[type=submit]").last.click()
    shot("erreurs", doc="inscription-erreurs")
    assert page.evaluate("document.activeElement.id") == "form-errors"
    page.locator("#form-errors a[href='#id_email']").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert not Registration.objects.filter(email="lea@").exists()


def test_organiser_exports_registrations(live_server, page, shot, small_site, django_user_model):
    services.register(small_site.occurrence.pk, name="Léa Martin", email="lea@example.org", places=1)
    django_user_model.objects.create_superuser("organisatrice", "o@example.org", "mot-de-passe-solide")
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("organisatrice")
    page.locator("#id_password").fill("mot-de-passe-solide")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(live_server.url + f"/admin/ateliers/registration/?occurrence={small_site.occurrence.pk}")
    shot("inscriptions", doc="admin-inscriptions")
    # The CSV download, with the browser's session.
    response = page.context.request.get(
        live_server.url + f"/admin/ateliers/registration/?occurrence={small_site.occurrence.pk}&export=csv"
    )
    assert response.status == 200
    content = response.text()
    assert "lea@example.org" in content


def test_association_member_submits_an_event_and_a_librarian_approves_it(
    live_server, page, shot, small_site, django_user_model
):
    membership = invite_member(small_site.association, "claire@example.org", first_name="Claire")
    membership.user.set_password("mot-de-passe-solide")
    membership.user.save()
    folder = AssociationEventsPage.objects.get(association=small_site.association)
    admin_login(page, live_server, "claire@example.org", "mot-de-passe-solide")
    shot("espace-association")
    page.goto(live_server.url + f"/admin/pages/add/ateliers/eventpage/{folder.pk}/")
    page.locator("#id_title").fill("Nuit des tritons")
    page.locator("#id_summary").fill("À la lampe, les tritons de la mare du parc.")
    page.locator("#id_first_date").fill((timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    page.locator("#id_start_time").fill("21:00")
    page.locator("#id_place_name").fill("Mare du parc")
    page.wait_for_function("document.querySelector('#id_slug').value !== ''")
    shot("nouvelle-activite")
    click_action(page, 'button[name="action-submit"]')
    shot("soumise")
    event = EventPage.objects.get(title="Nuit des tritons")
    assert not event.live and event.get_parent().pk == folder.pk
    assert page.context.request.get(live_server.url + folder.url + event.slug + "/").status == 404

    page.context.clear_cookies()
    django_user_model.objects.create_superuser("bibliothecaire", "b@example.org", "mot-de-passe-solide")
    admin_login(page, live_server, "bibliothecaire", "mot-de-passe-solide")
    page.goto(live_server.url + f"/admin/pages/{event.pk}/edit/")
    shot("a-valider", doc="admin-activite-a-valider")
    click_action(page, '[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    shot("validee")
    event.refresh_from_db()
    assert event.live
    page.goto(live_server.url + event.url)
    shot("publique")
    assert "Nuit des tritons" in page.locator("h1").inner_text()
