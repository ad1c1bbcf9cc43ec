import datetime
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from demarches.calls import choices as c
from demarches.calls import services
from demarches.calls.models import Application, ApplicationFile
from demarches.calls.tokens import application_url, make_token

from .conftest import PDF, fill, question_id

pytestmark = pytest.mark.django_db


def link(access):
    return application_url(access, absolute=False)


def form_data(call, **overrides):
    data = {"contact_name": "Camille Martin", "organisation_name": "Jardins des Tilleuls",
            "applicant_type": "association", "territory": "Béthune", "project_title": "Un verger partagé",
            "project_summary": "Planter un verger.", "amount_requested": "8000",
            f"q_{question_id(call, 'long_text')}": "Des ateliers mensuels.", "action": "save"}
    data.update(overrides)
    return data


def test_call_page_shows_status_and_criteria(client, call):
    response = client.get(call.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ouvert jusqu’au" in body
    assert "Faisabilité" in body and "Mobilisation des habitants" in body
    assert "Centre social" in body


def test_closed_call_says_clos(client, call):
    call.closes_at = timezone.now() - datetime.timedelta(days=1)
    call.opens_at = timezone.now() - datetime.timedelta(days=20)
    call.save_revision().publish()
    body = client.get(call.url).content.decode()
    assert "Clos" in body and "Recevoir le lien" not in body


def test_start_form_sends_link(client, call):
    response = client.post(call.url, {"email": "porteur@example.org"})
    assert response.status_code == 200
    assert "un e-mail avec le lien personnel" in response.content.decode()
    assert Application.objects.filter(email="porteur@example.org").exists()


def test_start_form_rejects_bad_email(client, call):
    response = client.post(call.url, {"email": "pas-un-email"})
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_draft_saved_then_submitted_through_the_link(client, call, access):
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    data = form_data(call, **{f"q_{question_id(call, 'file')}": upload})
    response = client.post(link(access), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.project_title == "Un verger partagé" and application.is_draft
    assert ApplicationFile.objects.get().content_type == "application/pdf"
    page = client.get(link(access)).content.decode()
    assert "peut être déposé" in page
    response = client.post(link(access), form_data(call, action="submit"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == c.SUBMITTED and application.number


def test_submission_blocked_shows_reasons(client, call, access):
    response = client.post(link(access), form_data(call, action="submit", amount_requested="15000"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "dépasse le plafond" in body and "Plan de financement" in body
    assert Application.objects.get().status == c.DRAFT


def test_late_submission_refused(client, call, access):
    fill(access)
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save_revision().publish()
    response = client.post(link(access), form_data(call, action="submit"))
    assert response.status_code == 400
    assert "clos" in response.content.decode()
    assert Application.objects.get().status == c.DRAFT


def test_executable_renamed_pdf_refused(client, call, access):
    upload = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = client.post(link(access), form_data(call, **{f"q_{question_id(call, 'file')}": upload}))
    assert response.status_code == 400
    assert "est un programme" in response.content.decode()
    assert not ApplicationFile.objects.exists()
    assert Application.objects.get().project_title == ""  # nothing half-written


def test_wrong_content_for_extension_refused(client, call, access):
    upload = SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50)
    response = client.post(link(access), form_data(call, **{f"q_{question_id(call, 'file')}": upload}))
    assert response.status_code == 400
    assert "ne correspond pas à son extension" in response.content.decode()


@override_settings(CALLS_MAX_UPLOAD_BYTES=10 * 1024 * 1024)
def test_50_mb_attachment_refused(client, call, access):
    big = SimpleUploadedFile("plan.pdf", PDF + b"0" * (50 * 1024 * 1024))
    response = client.post(link(access), form_data(call, **{f"q_{question_id(call, 'file')}": big}))
    assert response.status_code == 400
    assert "dépasse la taille maximale de 10,0" in response.content.decode()
    assert not ApplicationFile.objects.exists()


def test_tampered_link_refused(client, call, access):
    token = make_token(access)
    # Never the token itself: a fixed "0" would sometimes be its last character already.
    tampered_one = token[:-1] + ("1" if token[-1] == "0" else "0")
    tampered_two = token[:-2] + ("ee" if token[-2:] == "ff" else "ff")
    response = client.get(call.url + f"dossier/{tampered_one}/")
    assert response.status_code == 404
    assert "invalide" in response.content.decode()
    assert client.get(call.url + "dossier/abc/").status_code == 404
    assert client.post(call.url + f"dossier/{tampered_two}/", form_data(call)).status_code == 404
    assert Application.objects.get().project_title == ""


def test_expired_link_refused(client, call, access):
    access.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    access.save()
    response = client.get(link(access))
    assert response.status_code == 410
    assert "expiré" in response.content.decode()


def test_link_of_another_call_refused(client, call, call_index, access):
    from .conftest import make_call

    other = make_call(call_index, title="Autre", slug="autre")
    response = client.get(other.url + f"dossier/{make_token(access)}/")
    assert response.status_code == 404


def test_unknown_action_does_not_write(client, call, access):
    response = client.post(link(access), form_data(call, action="hack"))
    assert response.status_code == 200
    assert Application.objects.get().project_title == ""


def test_association_from_directory_needs_a_member_email(client, call, access):
    from tests.factories import AssociationFactory

    association = AssociationFactory(name="Les Jardins Ouvriers", email="contact@jardins.example")
    response = client.post(link(access), form_data(call, association=association.pk))
    assert response.status_code == 400
    assert "ni celui de cette association" in response.content.decode()
    own = services.start_application(call, "contact@jardins.example")
    response = client.post(link(own), form_data(call, association=association.pk))
    assert response.status_code == 302
    assert Application.objects.get(email="contact@jardins.example").association == association


def _laureate(call, access, django_user_model):
    fill(access, latitude=Decimal("50.43"), longitude=Decimal("2.83"))
    application = services.submit(access)
    instructor = django_user_model.objects.create_user("ines", "i@example.org", "x")
    services.decide(application, c.SELECTED, instructor, amount=Decimal("8000"))
    services.publish_results(call, now=call.closes_at + datetime.timedelta(seconds=1))
    return application


def test_laureates_page_hidden_then_shown(client, call, access, django_user_model):
    assert client.get(call.url + "laureats/").status_code == 404
    call.closes_at = timezone.now() + datetime.timedelta(seconds=1)
    call.save_revision().publish()
    application = _laureate(call, access, django_user_model)
    milestone = services.propose_milestone(access, datetime.date.today(), "Plantation", "Vingt arbres.")
    body = client.get(call.url + "laureats/").content.decode()
    assert "Un verger partagé" in body and "8" in body and "Plantation" not in body
    services.review_milestone(milestone, True, None)
    body = client.get(call.url + "laureats/").content.decode()
    assert "Plantation" in body and 'data-lat="50.430000"' in body
    assert application.email not in body


def test_laureate_posts_milestone_with_photo_without_exif(client, call, access, django_user_model):
    import io

    from PIL import Image

    call.closes_at = timezone.now() + datetime.timedelta(seconds=1)
    call.save_revision().publish()
    _laureate(call, access, django_user_model)
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x010F] = "Appareil secret"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    photo = SimpleUploadedFile("jalon.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(link(access), {"action": "milestone", "date": datetime.date.today().isoformat(),
                                          "title": "Plantation", "text": "Vingt arbres.", "photo": photo})
    assert response.status_code == 302
    from demarches.calls.models import Milestone

    stored = Milestone.objects.get()
    with stored.photo.open("rb") as handle:
        assert not Image.open(handle).getexif()


def test_api_lists_calls(client, call, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/api/appels/")
    data = response.json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["kind"] == "ami" and item["status"] == "ouvert" and item["budget_envelope"] == "48000.00"
    assert item["url"].startswith("http://testserver/")
