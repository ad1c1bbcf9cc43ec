import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ateliers import mail, services
from ateliers.models import OutgoingEmail, Registration


def test_failing_mail_server_never_loses_a_registration(
    occurrence, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(occurrence.pk, name="A", email="a@example.org", places=1)
    assert Registration.objects.get(pk=registration.pk).status == Registration.CONFIRMED
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.FAILED and email.attempts == 1 and email.last_error
    # The server is back: the retry command sends it, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail.send_pending() == (1, 0)
    assert mail.send_pending() == (0, 0)
    assert len(mailoutbox) == 1 and OutgoingEmail.objects.get().status == OutgoingEmail.SENT


def test_emails_are_rendered_after_the_commit_in_french_text_and_html(
    occurrence, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration = services.register(occurrence.pk, name="Léa", email="lea@example.org", places=2)
    # Inside the transaction only a minimal row is written: nothing rendered while the date is locked.
    assert OutgoingEmail.objects.get(registration=registration).subject == ""
    for callback in callbacks:
        callback()
    email = OutgoingEmail.objects.get(registration=registration)
    assert email.status == OutgoingEmail.SENT
    assert email.subject.startswith("Inscription confirmée : ")
    assert "Bonjour Léa" in email.body_text and "2 places" in email.body_text
    assert "<a href=" in email.body_html and "BEGIN:VCALENDAR" in email.ics


@pytest.mark.django_db
def test_prerendered_message_is_sent_as_written_with_its_attachment(mailoutbox, django_capture_on_commit_callbacks):
    from ateliers.mail import deliver, queue_message
    from ateliers.models import OutgoingEmail
    from ateliers.models.emails import register_email_kinds

    register_email_kinds({"test_decision": "Décision (essai)"})
    with django_capture_on_commit_callbacks(execute=False):
        email = queue_message(
            "test_decision", "a@example.org", "Votre   demande\n PV-1", "Texte", "<p>HTML</p>",
            attachment=("decision.pdf", b"%PDF-1.4 x", "application/pdf"),
        )
    assert deliver(email.pk) is True
    email.refresh_from_db()
    assert email.status == OutgoingEmail.SENT and email.get_kind_display() == "Décision (essai)"
    message = mailoutbox[-1]
    assert message.subject == "Votre demande PV-1"
    assert message.attachments == [("decision.pdf", b"%PDF-1.4 x", "application/pdf")]


def test_database_queue_writes_the_task_after_the_commit_and_never_for_a_rollback(
    occurrence, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        registration = services.register(occurrence.pk, name="A", email="a@example.org", places=1)
        assert not DBTaskResult.objects.exists()  # not while the date is locked
    email = OutgoingEmail.objects.get()
    assert len(callbacks) == 1 and email.registration == registration
    assert DBTaskResult.objects.get().args_kwargs["args"] == [email.pk]
    # A transaction rolled back takes its registration and e-mail with it, and queues nothing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.register(occurrence.pk, name="B", email="b@example.org", places=1)
            raise RuntimeError
    assert callbacks == []
    assert (Registration.objects.count(), OutgoingEmail.objects.count(), DBTaskResult.objects.count()) == (1, 1, 1)
