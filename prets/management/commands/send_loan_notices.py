from django.core.management.base import BaseCommand

from prets.services import send_notices


class Command(BaseCommand):
    help = (
        "Prêts : rappels deux jours avant le retour, avis de retard à J+1 et J+7, offres de la file d'attente "
        "expirées (à lancer chaque jour ; n'envoie jamais deux fois le même avis)."
    )

    def handle(self, *args, **options):
        counts = send_notices()
        self.stdout.write(
            f"{counts['reminders']} rappel(s), {counts['overdue']} avis de retard, "
            f"{counts['offers_expired']} offre(s) expirée(s) passée(s) à la personne suivante."
        )
