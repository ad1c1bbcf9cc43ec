from django.core.management.base import BaseCommand

from ateliers.mail import send_pending


class Command(BaseCommand):
    help = "Réessaie l'envoi des e-mails de l'agenda en attente ou en échec (à lancer régulièrement)."

    def handle(self, *args, **options):
        sent, failed = send_pending()
        self.stdout.write(f"{sent} e-mail(s) envoyé(s), {failed} en échec.")
