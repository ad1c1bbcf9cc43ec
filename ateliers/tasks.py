from django_tasks import task

from . import mail


@task()
def send_outgoing_email(email_id):
    """Send one outbox e-mail (failures are recorded on the row, never raised)."""
    return mail.deliver(email_id)
