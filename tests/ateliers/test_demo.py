from demo import ateliers as demo
from ateliers.models import EventPage, Occurrence, OutgoingEmail, Registration
from tests.factories import AssociationFactory


def test_demo_calendar_is_rich_and_idempotent(home_page, django_capture_on_commit_callbacks, mailoutbox):
    AssociationFactory(name="Les Amis des Mares", slug="les-amis-des-mares")
    lines = []
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(lines.append)
    assert EventPage.objects.live().count() >= 15
    assert EventPage.objects.filter(organiser__slug="les-amis-des-mares").exists()
    recurring = [event for event in EventPage.objects.all() if event.occurrences.count() > 3]
    assert len(recurring) >= 5
    assert Occurrence.objects.filter(status=Occurrence.CANCELLED).exists()
    full = [o for o in Occurrence.objects.filter(waiting_places__gt=0) if o.seats_left == 0]
    assert full
    assert any(o.seats_left == 1 for o in Occurrence.objects.filter(confirmed_places__gt=0))
    assert mailoutbox == [] and not OutgoingEmail.objects.exists()
    counts = (EventPage.objects.count(), Occurrence.objects.count(), Registration.objects.count())
    demo.load(lines.append)
    assert (EventPage.objects.count(), Occurrence.objects.count(), Registration.objects.count()) == counts
    assert "0 activité(s) créée(s)" in lines[-1]
