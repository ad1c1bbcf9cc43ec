from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ateliers.openagenda import Client, OpenAgendaError, build_export, push


class Command(BaseCommand):
    help = (
        "Envoie les dates à venir de l'agenda (annulées comprises) à l'agenda OpenAgenda configuré "
        "(OPENAGENDA_AGENDA_UID, OPENAGENDA_SECRET_KEY) : lieux d'abord, puis événements ; "
        "crée ce qui n'a jamais été envoyé, met à jour ce qui a changé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Montre ce qui serait envoyé, sans rien envoyer ni enregistrer.",
        )

    def handle(self, *args, dry_run=False, **options):
        agenda_uid, secret = settings.OPENAGENDA_AGENDA_UID, settings.OPENAGENDA_SECRET_KEY
        if not agenda_uid:
            raise CommandError(
                "OPENAGENDA_AGENDA_UID n'est pas configuré : indiquez l'identifiant de l'agenda."
            )
        if not secret and not dry_run:
            raise CommandError(
                "OPENAGENDA_SECRET_KEY n'est pas configurée : la clé secrète est nécessaire pour écrire."
            )
        export = build_export()
        self.stdout.write(
            f"{len(export['locations'])} lieu(x) et {len(export['events'])} date(s) à envoyer à l'agenda "
            f"{agenda_uid} ({settings.OPENAGENDA_BASE_URL})"
            + (" — essai, rien n'est envoyé." if dry_run else ".")
        )
        client = None if dry_run else Client(settings.OPENAGENDA_BASE_URL, secret)
        try:
            counts = push(export, agenda_uid, client=client, dry_run=dry_run, report=self.stdout.write)
        except OpenAgendaError as error:
            raise CommandError(
                f"{error} Ce qui a déjà été envoyé est enregistré : relancez la commande."
            ) from None
        self.stdout.write(
            f"Terminé : {counts['created']} création(s), {counts['updated']} mise(s) à jour, "
            f"{counts['unchanged']} inchangé(s), {counts['withdrawn']} date(s) supprimée(s) annulée(s)."
        )
