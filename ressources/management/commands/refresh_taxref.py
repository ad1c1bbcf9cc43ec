"""python manage.py refresh_taxref [TAXREFv17.txt] [--statuts BDC_STATUTS_17.csv] [--version 17.0] [--territoire …]"""

from django.core.management.base import BaseCommand, CommandError

from ressources.taxref import TaxrefError, refresh_taxref, territories


class Command(BaseCommand):
    help = ("Met à jour les taxons de la base depuis un export TAXREF (noms, rang, règne, noms vernaculaires, "
            "nom retenu) et, avec --statuts, leurs statuts par territoire depuis la BDC statuts de l'INPN.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version is the referential's, as its users write it; Django's own (its version number) gives way.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("taxref", nargs="?", help="Fichier TAXREF (TAXREFv17.txt, séparé par des tabulations)")
        parser.add_argument("--statuts", dest="statuses", help="Fichier de la BDC statuts (BDC_STATUTS_17.csv)")
        parser.add_argument("--version", dest="taxref_version", default="",
                            help="Version du référentiel (par défaut : lue dans le nom du fichier, « 17.0 »)")
        parser.add_argument("--territoire", dest="territories", action="append", default=None,
                            help="Territoire dont charger les statuts (libellé ou code) ; répétable ; "
                                 "par défaut le réglage TAXREF_TERRITORIES")

    def handle(self, *args, **options):
        if not options["taxref"] and not options["statuses"]:
            raise CommandError("Indiquez un fichier TAXREF, un fichier de statuts (--statuts), ou les deux.")
        wanted = options["territories"] or territories()
        if options["statuses"]:
            self.stdout.write(f"Territoires retenus : {', '.join(wanted)}.")
        try:
            report = refresh_taxref(
                options["taxref"], options["statuses"], options["taxref_version"], wanted, progress=self.stdout.write
            )
        except TaxrefError as error:
            raise CommandError(f"{error} Rien n'a été modifié.") from error
        if options["taxref"]:
            self.stdout.write(
                f"TAXREF {report.version} : {report.taxref_lines} lignes lues, {report.taxa_found} taxon(s) de la base "
                f"trouvé(s), {report.taxa_updated} mis à jour, {report.accepted_created} nom(s) retenu(s) ajouté(s)."
            )
        if options["statuses"]:
            self.stdout.write(
                f"Statuts : {report.status_lines} lignes lues, {report.statuses} statut(s) enregistré(s) "
                f"pour {report.taxa_with_statuses} taxon(s)."
            )
        if report.invalid_lines:
            self.stderr.write(f"{report.invalid_lines} ligne(s) sans identifiant numérique ignorée(s).")
        self.stdout.write(self.style.SUCCESS("Référentiel à jour."))
