import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from associations.models import Membership
from demarches.calls import choices as c
from demarches.calls import services
from demarches.calls.roles import ensure_roles
from tests.factories import AssociationFactory

from .conftest import fill

pytestmark = pytest.mark.django_db


def refused(response):
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == "/admin/")


@pytest.fixture
def instructor(django_user_model, call_index):
    user = django_user_model.objects.create_user("ines", "ines@example.org", "x")
    user.groups.add(ensure_roles())
    return user


@pytest.fixture
def two_applications(call):
    applications = []
    for email in ("a@example.org", "b@example.org"):
        access = services.start_application(call, email)
        fill(access, project_title=f"Projet de {email}")
        applications.append(services.submit(access))
    return applications


@pytest.fixture
def reviewer(django_user_model, call):
    user = django_user_model.objects.create_user("rita", "rita@example.org", "x")
    user.groups.add(services.ensure_committee(call))
    return user


def test_roles_are_idempotent(call_index):
    first = ensure_roles()
    count = first.permissions.count()
    assert ensure_roles().pk == first.pk and first.permissions.count() == count
    assert Group.objects.filter(name=c.INSTRUCTORS_GROUP).count() == 1
    assert first.permissions.filter(codename="decide_application").exists()


def test_reviewer_sees_only_assigned_applications(client, call, two_applications, reviewer):
    mine, other = two_applications
    services.assign_reviewer(mine, reviewer)
    client.force_login(reviewer)
    assert client.get(reverse("calls_application", args=[mine.pk])).status_code == 200
    assert refused(client.get(reverse("calls_application", args=[other.pk])))
    listing = client.get(reverse("demarches_application_modeladmin_index")).content.decode()
    assert "Projet de a@example.org" in listing and "Projet de b@example.org" not in listing
    # Private notes are instructors' only.
    assert "Notes privées" not in client.get(reverse("calls_application", args=[mine.pk])).content.decode()


def test_reviewer_scores_then_conflict_removes_access(client, call, two_applications, reviewer):
    mine = two_applications[0]
    services.assign_reviewer(mine, reviewer)
    client.force_login(reviewer)
    url = reverse("calls_application", args=[mine.pk])
    criteria = list(call.criteria.all())
    data = {"action": "score", "comment": "Bien", **{f"score_{x.pk}": "4" for x in criteria}}
    assert client.post(url, data).status_code == 302
    bad = {"action": "score", **{f"score_{x.pk}": "9" for x in criteria}}
    assert client.post(url, bad).status_code == 400
    assert client.post(url, {"action": "conflict", "reason": "Membre du bureau"}).status_code == 302
    assert refused(client.get(url))


def test_reviewer_cannot_decide_or_note(client, call, two_applications, reviewer):
    mine = two_applications[0]
    services.assign_reviewer(mine, reviewer)
    client.force_login(reviewer)
    url = reverse("calls_application", args=[mine.pk])
    assert refused(client.post(url, {"action": "decision", "decision": "retenu", "amount": "5000"}))
    assert refused(client.post(url, {"action": "note", "text": "x"}))
    mine.refresh_from_db()
    assert mine.decision == c.PENDING and not mine.notes.exists()


def test_instructor_assigns_notes_asks_and_decides(client, call, two_applications, reviewer, instructor):
    application = two_applications[0]
    client.force_login(instructor)
    url = reverse("calls_application", args=[application.pk])
    assert client.post(url, {"action": "assign", "reviewer": reviewer.pk}).status_code == 302
    assert client.post(url, {"action": "note", "text": "Bon dossier"}).status_code == 302
    assert client.post(url, {"action": "info", "text": "Le budget détaillé ?"}).status_code == 302
    response = client.post(url, {"action": "decision", "decision": "retenu", "amount": "20000"})
    assert response.status_code == 400 and "plafond" in response.content.decode()
    assert client.post(url, {"action": "decision", "decision": "retenu", "amount": "6000"}).status_code == 302
    application.refresh_from_db()
    assert application.decision == c.SELECTED and application.amount_granted == Decimal("6000")
    assert application.reviews.filter(reviewer=reviewer).exists() and application.notes.count() == 1
    body = client.get(url).content.decode()
    assert "Bon dossier" in body and "a@example.org" in body


def test_ranking_and_csv_export(client, call, two_applications, instructor, django_assert_max_num_queries):
    client.force_login(instructor)
    url = reverse("calls_ranking", args=[call.pk])
    response = client.get(url)
    assert response.status_code == 200 and "Total pondéré" in response.content.decode()
    csv = b"".join(client.get(url + "?format=csv").streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Rang;Numéro;Projet")
    assert len(csv.strip().splitlines()) == 3


def test_ranking_refused_to_outsiders(client, call, django_user_model):
    outsider = django_user_model.objects.create_user("otto", "o@example.org", "x")
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    assert refused(client.get(reverse("calls_ranking", args=[call.pk])))


def test_publish_results_needs_confirmation(client, call, two_applications, instructor):
    for application in two_applications:
        services.decide(application, c.REJECTED, instructor, reason="Hors périmètre")
    call.closes_at = call.opens_at + datetime.timedelta(days=1)
    call.save_revision().publish()
    client.force_login(instructor)
    url = reverse("calls_publish_results", args=[call.pk])
    assert "Oui, publier" in client.get(url).content.decode()
    call.refresh_from_db()
    assert call.results_published_at is None
    assert client.post(url).status_code == 302
    call.refresh_from_db()
    assert call.results_published_at is not None


def test_association_members_see_their_association_applications(client, call, django_user_model):
    association = AssociationFactory(name="Jardins Ouvriers", email="contact@jo.example")
    member = django_user_model.objects.create_user("marc", "marc@jo.example", "x")
    Membership.objects.create(user=member, association=association)
    from django.contrib.auth.models import Permission

    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    access = services.start_application(call, "marc@jo.example")
    application = fill(access, association=association)
    services.submit(access)
    other = services.start_application(call, "x@example.org")
    fill(other)
    services.submit(other)
    client.force_login(member)
    listing = client.get(reverse("demarches_application_modeladmin_index")).content.decode()
    assert listing.count("Un verger partagé") == 1
    assert client.get(reverse("calls_application", args=[application.pk])).status_code == 200
    assert refused(client.get(reverse("calls_application", args=[other.application_id])))


def test_milestone_approval_asks_confirmation(client, call, access, instructor):
    fill(access)
    application = services.submit(access)
    services.decide(application, c.SELECTED, instructor, amount=Decimal("5000"))
    services.publish_results(call, now=call.closes_at + datetime.timedelta(days=1))
    milestone = services.propose_milestone(access, datetime.date.today(), "Plantation", "Vingt arbres.")
    client.force_login(instructor)
    url = reverse("calls_milestone_review", args=[milestone.pk, "publier"])
    assert client.get(url).status_code == 200
    milestone.refresh_from_db()
    assert milestone.status == c.MILESTONE_PENDING
    assert client.post(url).status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == c.MILESTONE_APPROVED


def test_finances_page(client, call, instructor):
    client.force_login(instructor)
    response = client.get(reverse("calls_finances"))
    assert response.status_code == 200 and call.title in response.content.decode()
