"""A call for projects in a real Chromium: call → application → review → decision → laureates."""

import datetime
import re

import pytest
from django.utils import timezone

from ateliers.models import OutgoingEmail
from demarches.calls import choices as c
from demarches.calls.models import Application, CallIndexPage, CallPage
from tests.demarches.calls.conftest import PDF, make_call, question_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_login(page, live_server, username, password):
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))


def test_call_application_review_decision_laureates(live_server, page, shot, home_page, django_user_model,
                                                    tmp_path):
    call_index = CallIndexPage(title="Appels à projets", slug="appels-a-projets")
    home_page.add_child(instance=call_index)
    call_index.save_revision().publish()
    call = make_call(call_index)
    reviewer = django_user_model.objects.create_user("rita", "rita@example.org", "mot-de-passe-solide")
    reviewer.groups.add(call.committee_group)
    django_user_model.objects.create_superuser("ines", "ines@example.org", "mot-de-passe-solide")

    # The applicant asks for a link, without an account.
    page.goto(live_server.url + call.url)
    assert page.locator(".call__status").inner_text().startswith("Ouvert jusqu’au")
    page.locator("#id_email").fill("porteur@example.org")
    page.get_by_role("button", name="Recevoir le lien de mon dossier").click()
    page.get_by_text("un e-mail avec le lien personnel").wait_for()
    shot("lien-envoye")
    body = OutgoingEmail.objects.get(kind="call_link").body_text
    link = re.search(r"http://testserver(\S+/dossier/\S+/)", body).group(1)

    # First sitting: a draft over the cap, refused with the reason.
    page.goto(live_server.url + link)
    page.locator("#id_contact_name").fill("Camille Martin")
    page.locator("#id_organisation_name").fill("Jardins des Tilleuls")
    page.locator("#id_applicant_type").select_option("association")
    page.locator("#id_territory").fill("Lens")
    page.locator("#id_project_title").fill("Un verger partagé")
    page.locator("#id_project_summary").fill("Planter un verger avec les habitants.")
    page.locator("#id_amount_requested").fill("15000")
    page.locator(f"#id_q_{question_id(call, 'long_text')}").fill("Des ateliers chaque mois.")
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(PDF)
    page.locator(f"#id_q_{question_id(call, 'file')}").set_input_files(str(plan))
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("Brouillon enregistré").wait_for()
    assert "dépasse le plafond" in page.locator("#eligibilite").inner_text()
    shot("brouillon-non-eligible")

    # Second sitting: the amount corrected, the application submitted.
    page.goto(live_server.url + link)
    page.locator("#id_amount_requested").fill("8000")
    page.get_by_role("button", name="Déposer le dossier").click()
    page.get_by_text("Votre dossier est déposé").wait_for()
    shot("depose")
    application = Application.objects.get()
    assert application.status == c.SUBMITTED
    assert OutgoingEmail.objects.filter(kind="call_receipt").exists()

    # The instructor assigns the reviewer.
    admin_login(page, live_server, "ines", "mot-de-passe-solide")
    page.goto(live_server.url + f"/admin/appels/dossiers/{application.pk}/")
    page.locator("#id_reviewer").select_option(str(reviewer.pk))
    page.get_by_role("button", name="Affecter").click()
    page.get_by_text("Évaluateur affecté").wait_for()
    page.context.clear_cookies()

    # The reviewer scores each criterion.
    admin_login(page, live_server, "rita", "mot-de-passe-solide")
    page.goto(live_server.url + f"/admin/appels/dossiers/{application.pk}/")
    for criterion in call.criteria.all():
        page.locator(f"#id_score_{criterion.pk}").select_option("4")
    page.get_by_role("button", name="Enregistrer mes notes").click()
    page.get_by_text("Évaluation enregistrée").wait_for()
    shot("evaluation")
    page.context.clear_cookies()

    # The call closes; the instructor decides and publishes the results.
    CallPage.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    admin_login(page, live_server, "ines", "mot-de-passe-solide")
    page.goto(live_server.url + f"/admin/appels/{call.pk}/classement/")
    assert "4,00" in page.locator("table.listing").inner_text() or "4.00" in page.locator("table.listing").inner_text()
    shot("classement")
    page.goto(live_server.url + f"/admin/appels/dossiers/{application.pk}/")
    page.locator("#id_decision").select_option("retenu")
    page.locator("#id_amount").fill("7500")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision enregistrée").wait_for()
    assert not OutgoingEmail.objects.filter(kind="call_decision").exists()
    page.goto(live_server.url + f"/admin/appels/{call.pk}/classement/")
    page.get_by_role("link", name="Clore l’appel et publier les résultats").click()
    page.get_by_role("button", name="Oui, publier les résultats").click()
    page.get_by_text("Résultats publiés : les e-mails de décision partent").wait_for()
    assert OutgoingEmail.objects.filter(kind="call_decision", to="porteur@example.org").exists()

    # The public laureates page.
    page.goto(live_server.url + call.url + "laureats/")
    page.get_by_role("heading", name="Un verger partagé").wait_for()
    assert "7" in page.locator(".call-laureates").inner_text()
    shot("laureats")
