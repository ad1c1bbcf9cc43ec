import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from ateliers.models import OutgoingEmail
from demarches.calls import choices as c
from demarches.calls import services
from demarches.calls.models import Application, Review, Score

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_start_application_sends_a_link_and_reuses_the_draft(call):
    first = services.start_application(call, "Porteur@Example.org")
    again = services.start_application(call, "porteur@example.org")
    assert first.pk == again.pk
    assert Application.objects.count() == 1
    emails = OutgoingEmail.objects.filter(kind="call_link")
    assert emails.count() == 2
    assert "/dossier/" in emails.first().body_text and emails.first().body_text.count("http://testserver/") >= 1


def test_eligibility_blocks_with_reasons(access):
    application = fill(access, applicant_type="particulier", territory="Lille", amount_requested=Decimal("12000"))
    problems = services.eligibility_problems(application)
    text = " ".join(problems)
    assert "ne sont pas éligibles" in text
    assert "Lille" in text
    assert "plafond de 10000" in text
    with pytest.raises(services.CallError) as error:
        services.submit(access)
    assert error.value.code == "ineligible"
    assert Application.objects.get().status == c.DRAFT


def test_missing_required_answer_blocks(access):
    application = services.save_draft(access, {"project_title": "Titre"}, {}, {})
    problems = services.eligibility_problems(application)
    assert any("Implication des habitants" in problem for problem in problems)
    assert any("Plan de financement" in problem for problem in problems)


def test_submit_numbers_and_sends_receipt(access):
    fill(access)
    application = services.submit(access)
    assert application.status == c.SUBMITTED
    assert application.number.endswith(f"{application.pk:05d}")
    receipt = OutgoingEmail.objects.get(kind="call_receipt")
    assert application.number in receipt.subject


def test_late_submission_is_refused_and_nothing_written(access, call):
    fill(access)
    late = call.closes_at + datetime.timedelta(minutes=1)
    with pytest.raises(services.CallError) as error:
        services.submit(access, now=late)
    assert error.value.code == "closed"
    with pytest.raises(services.CallError):
        services.save_draft(access, {"project_title": "Changé"}, {}, {}, now=late)
    application = Application.objects.get()
    assert application.status == c.DRAFT and application.project_title == "Un verger partagé"


def test_co_applicant_gets_own_link(access):
    invited = services.invite_co_applicant(access, "partenaire@example.org")
    assert invited.role == "co_porteur" and invited.access_key != access.access_key
    with pytest.raises(services.CallError):
        services.invite_co_applicant(access, "partenaire@example.org")
    assert OutgoingEmail.objects.filter(kind="call_invitation", to="partenaire@example.org").count() == 1


def test_reminder_48h_before_closing_once(access, call):
    now = call.closes_at - datetime.timedelta(hours=47)
    assert services.remind_drafts(now=now) == 1
    assert services.remind_drafts(now=now) == 0
    assert OutgoingEmail.objects.filter(kind="call_reminder").count() == 1
    assert services.remind_drafts(now=call.closes_at - datetime.timedelta(hours=72)) == 0


@pytest.fixture
def submitted(access):
    fill(access)
    return services.submit(access)


@pytest.fixture
def committee(call, django_user_model):
    group = services.ensure_committee(call)
    members = []
    for name in ("alice", "bruno"):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "x")
        user.groups.add(group)
        members.append(user)
    return members


def test_committee_group_created_on_publish(call):
    call.refresh_from_db()
    assert call.committee_group is not None
    assert call.committee_group.name.startswith("Comité — ")
    assert Group.objects.filter(name__startswith="Comité — ").count() == 1


def test_scores_ranking_and_conflict(call, submitted, committee):
    alice, bruno = committee
    criteria = list(call.criteria.all())
    review_a = services.assign_reviewer(submitted, alice)
    review_b = services.assign_reviewer(submitted, bruno)
    services.save_scores(review_a, {criteria[0]: (5, "Solide"), criteria[1]: (3, "")})
    services.save_scores(review_b, {criteria[0]: (3, ""), criteria[1]: (1, "")})
    row = services.ranking(call)[0]
    assert row["cells"][0]["average"] == 4 and row["cells"][0]["spread"] == 2
    # (4 × 3 + 2 × 2) / 5
    assert row["weighted"] == pytest.approx(3.2)
    assert row["rank"] == 1
    services.declare_conflict(review_b, "Présidente de l’association")
    assert not Score.objects.filter(review=review_b).exists()
    row = services.ranking(call)[0]
    assert row["weighted"] == pytest.approx((5 * 3 + 3 * 2) / 5)
    with pytest.raises(services.CallError) as error:
        services.save_scores(Review.objects.get(pk=review_b.pk), {criteria[0]: (1, ""), criteria[1]: (1, "")})
    assert error.value.code == "conflict"


def test_only_committee_members_are_assigned(submitted, django_user_model):
    outsider = django_user_model.objects.create_user("zoe", "z@example.org", "x")
    with pytest.raises(services.CallError) as error:
        services.assign_reviewer(submitted, outsider)
    assert error.value.code == "not_committee"


def test_decisions_hidden_until_results_then_emails(call, submitted, django_user_model):
    instructor = django_user_model.objects.create_user("ines", "i@example.org", "x")
    with pytest.raises(services.CallError) as error:
        services.decide(submitted, c.SELECTED, instructor, amount=Decimal("12000"))
    assert error.value.code == "cap"
    with pytest.raises(services.CallError):
        services.decide(submitted, c.REJECTED, instructor, reason=" ")
    services.decide(submitted, c.SELECTED, instructor, amount=Decimal("8000"))
    assert not OutgoingEmail.objects.filter(kind="call_decision").exists()
    assert not call.laureates().exists()
    with pytest.raises(services.CallError) as error:
        services.publish_results(call)
    assert error.value.code == "open"
    services.publish_results(call, now=call.closes_at + datetime.timedelta(days=1))
    call.refresh_from_db()
    assert list(call.laureates()) == [submitted]
    assert OutgoingEmail.objects.filter(kind="call_decision").count() == 1
    with pytest.raises(services.CallError):
        services.decide(submitted, c.REJECTED, instructor, reason="trop tard")


def test_publish_refused_while_undecided(call, submitted):
    with pytest.raises(services.CallError) as error:
        services.publish_results(call, now=call.closes_at + datetime.timedelta(days=1))
    assert error.value.code == "undecided"
    call.refresh_from_db()
    assert call.results_published_at is None


def test_milestones_only_for_laureates(call, submitted, access, django_user_model):
    with pytest.raises(services.CallError):
        services.propose_milestone(access, datetime.date.today(), "Plantation", "Vingt arbres plantés.")
    instructor = django_user_model.objects.create_user("ines", "i@example.org", "x")
    services.decide(submitted, c.SELECTED, instructor, amount=Decimal("8000"))
    services.publish_results(call, now=call.closes_at + datetime.timedelta(days=1))
    milestone = services.propose_milestone(access, datetime.date.today(), "Plantation", "Vingt arbres plantés.")
    assert milestone.status == c.MILESTONE_PENDING
    assert not submitted.approved_milestones().exists()
    services.review_milestone(milestone, True, instructor)
    assert list(submitted.approved_milestones()) == [milestone]


def test_purge_anonymises_non_retained_only(call, call_index, django_user_model):
    from .conftest import make_call

    retained_access = services.start_application(call, "a@example.org")
    fill(retained_access)
    services.submit(retained_access)
    rejected_access = services.start_application(call, "b@example.org")
    fill(rejected_access)
    services.submit(rejected_access)
    draft_access = services.start_application(call, "c@example.org")
    instructor = django_user_model.objects.create_user("ines", "i@example.org", "x")
    services.decide(retained_access.application, c.SELECTED, instructor, amount=Decimal("5000"))
    services.decide(rejected_access.application, c.REJECTED, instructor, reason="Hors sujet")
    published = call.closes_at + datetime.timedelta(days=1)
    services.publish_results(call, now=published)
    assert services.purge_personal_data(now=published + datetime.timedelta(days=10), days=90) == \
        {"drafts_deleted": 0, "anonymised": 0}
    result = services.purge_personal_data(now=published + datetime.timedelta(days=91), days=90)
    assert result == {"drafts_deleted": 1, "anonymised": 1}
    rejected = Application.objects.get(pk=rejected_access.application_id)
    assert rejected.email == "" and rejected.answers == {} and not rejected.files.exists()
    assert not rejected.accesses.exists()
    assert rejected.decision == c.REJECTED  # counts stay
    retained = Application.objects.get(pk=retained_access.application_id)
    assert retained.email == "a@example.org"
    assert not Application.objects.filter(pk=draft_access.application_id).exists()
