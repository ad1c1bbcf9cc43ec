"""python manage.py import_observations INVENTORY_SLUG FILE.csv [--skip-invalid] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ressources.models import InventoryPage
from ressources.observations import ObservationImportError, import_observations


class Command(BaseCommand):
    help = "Importe des observations (Darwin Core, iNaturalist ou INPN / GeoNature) dans un inventaire."

    def add_arguments(self, parser):
        parser.add_argument("inventory", help="Identifiant d'adresse (slug) de l'inventaire")
        parser.add_argument("file", help="Fichier CSV")
        parser.add_argument("--skip-invalid", action="store_true", help="Importer les lignes valides, ignorer les autres")
        parser.add_argument("--dry-run", action="store_true", help="Tout vérifier sans rien enregistrer")

    def handle(self, *args, **options):
        inventory = InventoryPage.objects.filter(slug=options["inventory"]).first()
        if inventory is None:
            raise CommandError(f"Aucun inventaire avec l'identifiant « {options['inventory']} ».")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")

        def progress(created, read):
            self.stdout.write(f"  {created} observations enregistrées ({read} lignes lues)…")

        try:
            report = import_observations(
                inventory, path, skip_invalid=options["skip_invalid"], dry_run=options["dry_run"],
                progress=progress,
            )
        except ObservationImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Format reconnu : {report.format_label} — {report.rows} lignes, {report.valid} valides.")
        for line in report.error_lines():
            self.stderr.write(line)
        if report.error_count > len(report.errors):
            self.stderr.write(f"… et {report.error_count - len(report.errors)} autres lignes en erreur.")
        if report.refused:
            raise CommandError(
                f"{report.error_count} ligne(s) en erreur : rien n'a été importé. "
                "Corrigez le fichier ou relancez avec --skip-invalid pour ignorer ces lignes."
            )
        verb = "seraient créées" if report.dry_run else "créées"
        self.stdout.write(self.style.SUCCESS(
            f"{report.created} observation(s) {verb}, {report.already_present} déjà présente(s), "
            f"{report.duplicates_in_file} doublon(s) dans le fichier, {report.absences} absence(s) ignorée(s), "
            f"{report.error_count} ligne(s) invalide(s) ignorée(s)."
        ))
