from django.core.management.base import BaseCommand

from demarches.calls.services import remind_drafts


class Command(BaseCommand):
    help = "Relance par e-mail les brouillons des appels à projets qui ferment dans moins de 48 heures (une fois)."

    def handle(self, *args, **options):
        count = remind_drafts()
        self.stdout.write(f"{count} brouillon(s) relancé(s).")
