from ateliers.models import OutgoingEmail
from demo import prets as demo
from prets.choices import HOLD_WAITING, LOAN_OUT, LOAN_RESERVED, LOAN_RETURNED
from prets.models import Hold, Loan, SeedVarietyPage, ThingPage


def test_demo_lending_is_complete_and_idempotent(home_page, django_capture_on_commit_callbacks):
    lines = []
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(lines.append)
    assert ThingPage.objects.live().count() == 20
    assert ThingPage.objects.filter(required_training__isnull=False).count() == 2
    assert SeedVarietyPage.objects.filter(taxon__isnull=False).count() == 15
    statuses = set(Loan.objects.values_list("status", flat=True))
    assert {LOAN_RESERVED, LOAN_OUT, LOAN_RETURNED} <= statuses
    assert any(loan.is_overdue for loan in Loan.objects.filter(status=LOAN_OUT))
    assert Hold.objects.filter(status=HOLD_WAITING).exists()
    assert not OutgoingEmail.objects.filter(kind__startswith="prets_").exists()
    counts = (ThingPage.objects.count(), Loan.objects.count(), SeedVarietyPage.objects.count())
    demo.load(lines.append)
    assert (ThingPage.objects.count(), Loan.objects.count(), SeedVarietyPage.objects.count()) == counts
    assert any("preteuse" in line for line in lines)
