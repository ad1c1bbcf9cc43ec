import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from demarches.calls import services
from demarches.calls.models import CallCriterion, CallIndexPage, CallPage

PDF = b"%PDF-1.4\n% test\n"


def make_call(index, **overrides):
    now = timezone.now()
    values = dict(
        title="Vivre-ensemble au jardin", slug="vivre-ensemble-au-jardin", kind="ami",
        summary="Des jardins partagés pour se rencontrer.", opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=10), budget_envelope=Decimal("48000"),
        per_project_cap=Decimal("10000"), eligible_applicant_types=["commune", "association", "centre_social"],
        eligible_territories="62119 Béthune\n62498 Lens\nLiévin", funder_name="Commune de Villeneuve-la-Verte",
        funder_siret="21370001200018",
        questions=[
            ("long_text", {"label": "Implication des habitants", "help_text": "", "required": True,
                           "max_length": 500}),
            ("choice", {"label": "Phase du projet", "help_text": "", "required": False,
                        "choices": "Émergence\nRenforcement"}),
            ("file", {"label": "Plan de financement", "help_text": "", "required": True}),
        ],
    )
    values.update(overrides)
    call = CallPage(**values)
    index.add_child(instance=call)
    for order, (title, weight) in enumerate([("Faisabilité", 3), ("Mobilisation des habitants", 2)]):
        CallCriterion.objects.create(page=call, title=title, weight=weight, sort_order=order)
    call.save_revision().publish()
    return CallPage.objects.get(pk=call.pk)


@pytest.fixture
def call_index(home_page):
    index = CallIndexPage(title="Appels à projets", slug="appels-a-projets")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def call(call_index):
    return make_call(call_index)


def question_id(call, block_type):
    return next(qid for qid, kind, _value in call.question_items() if kind == block_type)


@pytest.fixture
def access(call):
    return services.start_application(call, "porteur@example.org")


def fill(access, **overrides):
    """A complete, eligible draft."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    call = access.application.call
    fields = dict(contact_name="Camille Martin", organisation_name="Jardins des Tilleuls", applicant_type="association",
                  association=None, rna="W623000123", siret="", territory="Lens", project_title="Un verger partagé",
                  project_summary="Planter un verger avec les habitants de la cité.",
                  amount_requested=Decimal("8000"), latitude=None, longitude=None)
    fields.update(overrides)
    answers = {question_id(call, "long_text"): "Des ateliers mensuels."}
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    files = {question_id(call, "file"): (upload, len(PDF), "application/pdf")}
    return services.save_draft(access, fields, answers, files)
