from django.core.management.base import BaseCommand

from demarches.permits.services import run_daily


class Command(BaseCommand):
    help = ("Tâche quotidienne des permis de végétaliser : rappels J-7 aux services, accords tacites à "
            "l'échéance, avis de renouvellement, expirations, demandes incomplètes abandonnées.")

    def handle(self, *args, **options):
        counts = run_daily()
        self.stdout.write(
            f"{counts['reminders']} rappel(s), {counts['tacit']} accord(s) tacite(s), "
            f"{counts['renewal_notices']} avis de renouvellement, {counts['expired']} permis expiré(s), "
            f"{counts['abandoned']} demande(s) abandonnée(s)."
        )
