"""import_resources FILE.csv [--dry-run]: guides, inventories and trainings from a spreadsheet."""

from django.core.management.base import BaseCommand, CommandError

from ressources.importers import ImportRefused, import_resources

MAX_ERRORS_SHOWN = 50


def plural(count, singular, plural_form):
    return f"{count} {singular if count <= 1 else plural_form}"  # French: 0 and 1 are singular


class Command(BaseCommand):
    help = (
        "Importe des ressources (guides, inventaires, formations) depuis un fichier CSV UTF-8. "
        "Rien n'est importé si une ligne est en erreur. Colonnes : voir le README."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV (UTF-8, séparateur « ; » ou « , »)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie le fichier et dit ce qui serait créé ou mis à jour, sans rien enregistrer.",
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            result = import_resources(file, dry_run=dry_run, progress=self.show_progress)
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {file}") from None
        except OSError as error:
            raise CommandError(f"Impossible de lire « {file} » : {error.strerror}") from None
        except ImportRefused as refusal:
            lines = [f"  ligne {line} : {message}" for line, message in refusal.errors[:MAX_ERRORS_SHOWN]]
            if len(refusal.errors) > MAX_ERRORS_SHOWN:
                lines.append(f"  … et {len(refusal.errors) - MAX_ERRORS_SHOWN} autres erreurs.")
            raise CommandError(
                f"Fichier refusé, rien n'a été importé "
                f"({plural(len(refusal.errors), 'erreur', 'erreurs')}) :\n" + "\n".join(lines)
            ) from None

        for line, message in result.warnings:
            self.stderr.write(self.style.WARNING(f"Attention, ligne {line} : {message}"))
        if dry_run:
            self.report_dry_run(result)
        else:
            self.stdout.write(self.style.SUCCESS(self.summary(result)))

    def show_progress(self, done, total):
        self.stdout.write(f"{done}/{total} lignes…")

    def summary(self, result):
        parts = [
            plural(len(result.created), "ressource créée", "ressources créées"),
            plural(len(result.updated), "mise à jour", "mises à jour"),
            plural(len(result.unchanged), "inchangée", "inchangées"),
            plural(len(result.created_themes), "thème créé", "thèmes créés"),
        ]
        text = ", ".join(parts)
        if result.created_themes:
            text += " : " + ", ".join(result.created_themes)
        return text + "."

    def report_dry_run(self, result):
        self.stdout.write("Simulation (--dry-run) : le fichier est valide, rien n'a été enregistré.")
        for label, titles in (("à créer", result.created), ("à mettre à jour", result.updated)):
            for title in titles:
                self.stdout.write(f"  {label} : {title}")
        self.stdout.write("Résultat si on l'importe : " + self.summary(result))
