from django.core.management.base import BaseCommand

from biodiversitheque.core.absolute_urls import absolute_url
from demo.loader import load_demo


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (idempotent : relancer ne change rien)."

    def handle(self, *args, **options):
        def log(message):
            if options["verbosity"] >= 1:
                self.stdout.write(message)

        load_demo(log)
        log(self.style.SUCCESS(f"Contenu de démonstration chargé. Portail : {absolute_url('/')}"))
