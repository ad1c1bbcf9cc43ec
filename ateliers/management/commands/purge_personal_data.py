from django.conf import settings
from django.core.management.base import BaseCommand

from ateliers.services import purge_personal_data
from biodiversitheque.core.purges import PURGES


class Command(BaseCommand):
    help = (
        "Anonymise les inscriptions dont l'activité est terminée depuis plus de "
        "PERSONAL_DATA_RETENTION_DAYS jours (les effectifs sont conservés), puis lance les purges "
        "déclarées par les autres applications (emprunteurs, dossiers d'appels à projets non retenus…)."
    )

    def handle(self, *args, **options):
        result = purge_personal_data()
        for label, function in PURGES:
            outcome = function()
            self.stdout.write(f"{label} — " + ", ".join(f"{key} : {value}" for key, value in outcome.items()))
        self.stdout.write(
            f"{result['anonymised']} inscription(s) anonymisée(s), {result['emails_deleted']} e-mail(s) supprimé(s) "
            f"(conservation : {settings.PERSONAL_DATA_RETENTION_DAYS} jours)."
        )
