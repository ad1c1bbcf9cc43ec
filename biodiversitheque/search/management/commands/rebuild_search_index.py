from django.core.management.base import BaseCommand

from biodiversitheque.search.services import rebuild


class Command(BaseCommand):
    help = "Reconstruit l'index de la recherche du site (pages publiques, associations, espèces)."

    def handle(self, *args, **options):
        rebuild(progress=lambda message: self.stdout.write(message))
