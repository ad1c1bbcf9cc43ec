import pytest

from demarches.calls import choices as c
from demo import calls as demo
from demarches.calls.models import Application, CallPage, Milestone, Review

pytestmark = pytest.mark.django_db


def test_demo_builds_every_state_and_is_idempotent(home_page):
    logs = []
    demo.load(logs.append)
    ami = CallPage.objects.get(slug="vivre-ensemble-au-jardin")
    assert ami.results_published_at is not None and ami.criteria.count() == 6
    decisions = set(ami.applications.values_list("decision", flat=True))
    assert {c.SELECTED, c.WAITING_LIST, c.REJECTED} <= decisions
    assert ami.applications.filter(status=c.DRAFT).exists()
    assert ami.laureates().count() == 3
    assert Review.objects.filter(application__call=ami).values("reviewer").distinct().count() == 2
    assert Milestone.objects.filter(status=c.MILESTONE_APPROVED).count() == 6
    micro = CallPage.objects.get(slug="micro-subventions-biodiversite")
    assert micro.kind == c.KIND_MICRO and micro.is_open
    counts = (Application.objects.count(), Milestone.objects.count(), CallPage.objects.count())
    demo.load(logs.append)
    assert (Application.objects.count(), Milestone.objects.count(), CallPage.objects.count()) == counts
