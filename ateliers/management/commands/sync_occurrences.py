from django.core.management.base import BaseCommand

from ateliers.services import sync_all_events


class Command(BaseCommand):
    help = "Prolonge les dates des activités répétées jusqu'à l'horizon (à lancer chaque jour)."

    def handle(self, *args, **options):
        result = sync_all_events()
        self.stdout.write(
            f"{result['created']} date(s) créée(s), {result['removed']} supprimée(s), {result['cancelled']} annulée(s)."
        )
