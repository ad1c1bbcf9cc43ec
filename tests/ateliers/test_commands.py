import datetime

from django.core.management import call_command
from django.utils import timezone

from ateliers import services
from ateliers.models import Occurrence, OutgoingEmail, Registration


def test_send_reminders_command_never_sends_twice(make_occurrence, capsys):
    occurrence = make_occurrence(days=1)
    services.register(occurrence.pk, name="A", email="a@example.org", places=1)
    call_command("send_reminders")
    call_command("send_reminders")
    assert OutgoingEmail.objects.filter(kind="reminder").count() == 1
    assert "0 rappel" in capsys.readouterr().out.splitlines()[-1]


def test_purge_command(make_occurrence, capsys, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 1
    occurrence = make_occurrence(days=1)
    services.register(occurrence.pk, name="A", email="a@example.org", places=1)
    past = timezone.now() - datetime.timedelta(days=3)
    Occurrence.objects.filter(pk=occurrence.pk).update(start=past, end=past + datetime.timedelta(hours=1))
    call_command("purge_personal_data")
    assert "1 inscription(s) anonymisée(s)" in capsys.readouterr().out
    assert Registration.objects.get().email == ""


def test_send_pending_and_sync_commands(make_event, capsys):
    make_event()
    call_command("sync_occurrences")
    call_command("send_pending_emails")
    out = capsys.readouterr().out
    assert "0 date(s) créée(s)" in out and "e-mail(s) envoyé(s)" in out
