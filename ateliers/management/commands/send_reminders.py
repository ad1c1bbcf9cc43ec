from django.core.management.base import BaseCommand

from ateliers.services import queue_reminders


class Command(BaseCommand):
    help = "Envoie le rappel des activités proches (à lancer chaque heure ; n'envoie jamais deux fois)."

    def add_arguments(self, parser):
        parser.add_argument("--heures", type=int, default=None, help="Fenêtre avant l'activité (défaut : 48 h).")

    def handle(self, *args, heures=None, **options):
        count = queue_reminders(hours=heures)
        self.stdout.write(f"{count} rappel(s) programmé(s).")
