"""A greening permit in a real Chromium: request (pin on the map) → follow link → services' opinions → decision
→ public map and open data."""

import json
import re
from decimal import Decimal

import pytest

from ateliers.models import OutgoingEmail
from demarches.permits import choices
from demarches.permits.models import Charter, Commune, GreeningCampaignPage, PermitRequest, SupportType
from demarches.permits.roles import ensure_roles
from tests.demarches.permits.conftest import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot-de-passe-solide"


def admin_login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))


def test_request_opinions_decision_map(live_server, page, shot, home_page, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PERMIT_GEOCODER_URL = ""
    Commune.objects.create(name="Villeneuve", slug="villeneuve", is_default=True,
                           min_latitude=Decimal("47.37"), max_latitude=Decimal("47.41"),
                           min_longitude=Decimal("0.65"), max_longitude=Decimal("0.71"))
    charter = Charter.objects.create(version="1", clauses="Espèces locales seulement.\nPas de pesticide.")
    SupportType.objects.create(name="Pied d'arbre", slug="pied-d-arbre", rules="Sans creuser.")
    campaign = GreeningCampaignPage(title="Permis de végétaliser", slug="permis-de-vegetaliser", charter=charter)
    home_page.add_child(instance=campaign)
    campaign.save_revision().publish()
    groups = ensure_roles()
    users = {"instructeur": groups[choices.INSTRUCTORS_GROUP], "signataire": groups[choices.DECISION_GROUP]}
    users |= {f"agent-{code}": groups[choices.service_group_name(code)] for code, _label in choices.services()}
    for username, group in users.items():
        django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD).groups.add(group)

    # The resident asks, placing the pin on the map (JavaScript runs here).
    page.goto(live_server.url + campaign.url + "demande/")
    page.locator("input[name=applicant_kind][value=particulier]").check()
    page.locator("#id_name").fill("Camille Martin")
    page.locator("#id_email").fill("camille@example.org")
    page.locator("#id_address").fill("12 rue du Moulin")
    page.locator("[data-permit-picker]").click()
    assert page.locator("#id_latitude").input_value() != ""
    page.locator("#id_support_type").select_option(label="Pied d'arbre")
    page.locator("#id_description").fill("Semer des vivaces au pied du tilleul.")
    photo = tmp_path / "lieu.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.locator("#id_photos").set_input_files(str(photo))
    page.locator("#id_charter_accepted").check()
    page.locator("#id_consent").check()
    shot("demande")
    page.get_by_role("button", name="Déposer ma demande").click()
    page.get_by_text("Demande enregistrée sous la référence").wait_for()
    permit = PermitRequest.objects.get()
    assert re.fullmatch(r"PV-\d{4}-\d{4}", permit.reference) and permit.latitude is not None
    assert permit.charter_version == "1" or permit.charter_id == charter.pk
    shot("suivi")
    body = OutgoingEmail.objects.get(to="camille@example.org").body_text
    follow = re.search(r"https?://[^/\s]+(/\S+/suivi/\S+/)", body).group(1)

    # The instructor starts the instruction and asks the services.
    admin_login(page, live_server, "instructeur")
    page.goto(live_server.url + f"/admin/permis/demandes/{permit.pk}/")
    page.get_by_role("button", name="Mettre en instruction").click()
    page.get_by_text("Demande mise en instruction").wait_for()
    page.get_by_role("button", name="Demander les avis des services").click()
    page.get_by_text("Avis des services demandés").wait_for()

    # Each service gives its own opinion.
    for code, _label in choices.services():
        admin_login(page, live_server, f"agent-{code}")
        page.goto(live_server.url + f"/admin/permis/demandes/{permit.pk}/")
        page.locator("input[name=favourable][value='1']").check()
        page.locator("#id_comment").first.fill("Rien à signaler.")
        page.get_by_role("button", name="Enregistrer l’avis").click()
        page.get_by_text("Avis enregistré").wait_for()
    assert permit.opinions.filter(favourable=True).count() == len(choices.services())

    # The decision role grants it; the applicant gets the letter.
    admin_login(page, live_server, "signataire")
    page.goto(live_server.url + f"/admin/permis/demandes/{permit.pk}/")
    page.locator("input[name=decision][value=granted]").check()
    shot("decision")
    page.get_by_role("button", name="Enregistrer la décision et l’envoyer").click()
    page.get_by_text("Décision enregistrée").wait_for()
    permit.refresh_from_db()
    assert permit.status == choices.GRANTED

    # The applicant's page says so; the public map lists the street, never the door number or the name.
    page.context.clear_cookies()
    page.goto(live_server.url + follow)
    assert page.locator(".permit-status").get_attribute("data-status") == choices.GRANTED
    page.goto(live_server.url + campaign.url)
    listed = page.locator(".permit-map__list").inner_text()
    assert "rue du Moulin" in listed and "12" not in listed and "Camille" not in listed
    page.locator("[data-permit-map] path.leaflet-interactive").first.wait_for()
    shot("carte")
    data = json.loads(page.request.get(live_server.url + "/api/permis/").text())
    assert len(data["features"]) == 1 and "Camille" not in json.dumps(data)
