"""TAXREF and the BDC statuts, read offline from the national files, for the taxa already in the database.

TAXREF (TAXREFv17.txt, tab-separated, ~700,000 lines) gives names, rank, kingdom, vernacular names and the
accepted name (cd_ref); the BDC (BDC_STATUTS_17.csv) gives statuses by territory. Both files are streamed:
only the rows of our taxa are kept. Everything is written in one transaction, so a wrong file changes nothing.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from biodiversitheque.core.csvio import CsvError, read_csv
from biodiversitheque.search.services import reindex
from ressources.choices import (
    STATUS_KIND_INVASIVE,
    STATUS_KIND_OTHER,
    STATUS_KIND_PROTECTION,
    STATUS_KIND_RED_LIST,
)
from ressources.models.taxa import FLAG_STATUSES, Taxon, TaxonStatus, refresh_flags
from ressources.taxonomy import normalize_group, normalize_label

# Territories whose statuses are loaded: label (LB_ADM_TR), CD_SIG or ISO 3166-2 code, accents and case ignored.
DEFAULT_TERRITORIES = ["France métropolitaine", "France", "Centre-Val de Loire", "Indre-et-Loire"]
PROGRESS_EVERY = 100_000

TAXREF_COLUMNS = ("CD_NOM", "CD_REF", "LB_NOM", "RANG", "REGNE")
BDC_COLUMNS = ("CD_NOM", "CD_REF", "CD_TYPE_STATUT", "CODE_STATUT", "LABEL_STATUT", "LB_ADM_TR")
TAXREF_FIELDS = ("scientific_name", "author", "vernacular_name", "rank", "kingdom", "family", "group", "cd_ref",
                    "taxref_version")

PROTECTION_TYPES = {"PN", "PR", "PD", "POM"}
INVASIVE_TYPES = {"REGLII"}
LEVELS = {"territoire": 0, "etat": 0, "pays": 0, "region": 1, "ancienne region": 1, "departement": 2}


class TaxrefError(Exception):
    """A file that cannot be used; the message is French and names the file and, when known, the line."""

    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.code = code


@dataclass
class RefreshReport:
    version: str = ""
    taxref_lines: int = 0
    taxa_found: int = 0
    taxa_updated: int = 0
    accepted_created: int = 0
    invalid_lines: int = 0
    status_lines: int = 0
    statuses: int = 0
    taxa_with_statuses: int = 0
    changed_pks: set = field(default_factory=set)


def version_from_filename(path):
    """'17.0' for TAXREFv17.txt or BDC_STATUTS_17.csv, '16.1' for TAXREFv16_1.txt; '' when the name says nothing."""
    match = re.search(r"(?:taxref|statuts?)[^0-9]*?v?(\d{1,2})(?:[._](\d))?(?!\d)", Path(path).name, re.IGNORECASE)
    if not match:
        return ""
    return f"{match.group(1)}.{match.group(2) or 0}"


def territories():
    return list(getattr(settings, "TAXREF_TERRITORIES", DEFAULT_TERRITORIES))


def _key(value):
    return normalize_label(value).replace("-", " ").replace("'", " ")


def _open(path, required, what):
    path = Path(path)
    if not path.is_file():
        raise TaxrefError(f"Fichier introuvable : {path}", code="missing")
    try:
        table = read_csv(path, key=lambda header: header.strip().upper())
    except CsvError as error:
        raise TaxrefError(f"{path.name}, ligne {error.line} : {error}", code="unreadable") from None
    missing = [column for column in required if column not in table.keys]
    if missing:
        table.close()
        raise TaxrefError(
            f"{path.name} n'est pas un fichier {what} : colonne(s) absente(s) : {', '.join(missing)}.",
            code="columns",
        )
    return table


def _rows(table, path, progress, label):
    """(line, cells) of each row; a row becomes a dict only when it concerns one of our taxa (the file is big)."""
    try:
        for line, cells in table.rows():
            if line % PROGRESS_EVERY == 0:
                progress(f"… {line:,} lignes {label} lues".replace(",", "\u202f"))
            yield line, cells
    except CsvError as error:
        raise TaxrefError(f"{Path(path).name}, ligne {error.line} : {error}", code="unreadable") from None
    finally:
        table.close()


def _cell(table, name):
    """A function giving the cell of column `name` in a row (a list), '' when the row is short."""
    position = table.keys.index(name)
    return lambda cells: cells[position] if position < len(cells) else ""


def _integer(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def first_vernacular(names):
    """TAXREF lists vernacular names separated by commas: the first is the usual one."""
    return (names or "").split(",")[0].strip()[:200]


def apply_taxref_row(taxon, row, version):
    """Copy a TAXREF line onto a taxon; the names entered by the librarians (vernacular) are only filled in."""
    values = {
        "scientific_name": (row.get("LB_NOM") or "").strip()[:200] or taxon.scientific_name,
        "author": (row.get("LB_AUTEUR") or "").strip()[:200],
        "rank": (row.get("RANG") or "").strip()[:10],
        "kingdom": (row.get("REGNE") or "").strip()[:40],
        "family": (row.get("FAMILLE") or "").strip()[:100],
        "cd_ref": _integer(row.get("CD_REF")) or taxon.cd_nom,
        "taxref_version": version,
    }
    if not taxon.vernacular_name:
        values["vernacular_name"] = first_vernacular(row.get("NOM_VERN"))
    if taxon.group == "autres":
        values["group"] = normalize_group(row.get("GROUP2_INPN"), row.get("CLASSE"), row.get("ORDRE"),
                                          row.get("GROUP1_INPN"), row.get("REGNE")) or "autres"
    changed = False
    for name, value in values.items():
        if getattr(taxon, name) != value:
            setattr(taxon, name, value)
            changed = True
    return changed


def refresh_names(path, version, progress=lambda message: None, report=None):
    """Names, ranks and accepted names of the taxa already in the database, from a TAXREF file.

    A synonym whose accepted name is not in the database yet gets it (second reading of the file, only then),
    so that its observations have a species page under the accepted name."""
    report = report or RefreshReport(version=version)
    by_cd_nom = {taxon.cd_nom: taxon for taxon in Taxon.objects.filter(cd_nom__isnull=False)}
    changed = []
    table = _open(path, TAXREF_COLUMNS, "TAXREF")
    keys, cd_nom_of = table.keys, _cell(table, "CD_NOM")
    for _line, cells in _rows(table, path, progress, "TAXREF"):
        report.taxref_lines += 1
        cd_nom = _integer(cd_nom_of(cells))
        if cd_nom is None:
            report.invalid_lines += 1
            continue
        taxon = by_cd_nom.get(cd_nom)
        if taxon is None:
            continue
        report.taxa_found += 1
        if apply_taxref_row(taxon, dict(zip(keys, cells)), version):
            changed.append(taxon)
    Taxon.objects.bulk_update(changed, TAXREF_FIELDS, batch_size=500)
    report.taxa_updated += len(changed)
    report.changed_pks.update(taxon.pk for taxon in changed)

    missing = {taxon.cd_ref for taxon in by_cd_nom.values() if taxon.cd_ref and taxon.cd_ref not in by_cd_nom}
    if missing:
        progress(f"{len(missing)} nom(s) retenu(s) absent(s) de la base : seconde lecture du fichier.")
        table = _open(path, TAXREF_COLUMNS, "TAXREF")
        keys, cd_nom_of = table.keys, _cell(table, "CD_NOM")
        for _line, cells in _rows(table, path, progress, "TAXREF"):
            cd_nom = _integer(cd_nom_of(cells))
            if cd_nom not in missing:
                continue
            missing.discard(cd_nom)
            row = dict(zip(keys, cells))
            synonym = next(taxon for taxon in by_cd_nom.values() if taxon.cd_ref == cd_nom)
            accepted = Taxon(cd_nom=cd_nom, scientific_name=row.get("LB_NOM", "").strip()[:200], group=synonym.group,
                             is_sensitive=synonym.is_sensitive)
            apply_taxref_row(accepted, row, version)
            accepted.save()
            report.accepted_created += 1
            report.changed_pks.add(accepted.pk)
    return report


def status_kind(type_code, grouping="", type_label=""):
    """Our kind for a BDC type: protections, red lists, invasive species regulation, everything else."""
    type_code = type_code.strip().upper()
    words = _key(f"{grouping} {type_label}")
    if type_code in PROTECTION_TYPES or _key(grouping) == "protection":
        return STATUS_KIND_PROTECTION
    if type_code.startswith("LR") or _key(grouping) == "liste rouge":
        return STATUS_KIND_RED_LIST
    if type_code in INVASIVE_TYPES or "envahissant" in words:
        return STATUS_KIND_INVASIVE
    return STATUS_KIND_OTHER


def load_statuses(path, wanted_territories=None, progress=lambda message: None, report=None):
    """Replace the BDC statuses of our taxa by those of the file, for the territories wanted.

    A status is given to every taxon sharing its accepted name (cd_ref): a synonym is as protected as its
    species. The statuses once derived from the yes/no flags are dropped for taxa the BDC knows."""
    report = report or RefreshReport()
    wanted = {_key(territory) for territory in (wanted_territories or territories())}
    by_ref = defaultdict(list)
    for pk, cd_nom, cd_ref in Taxon.objects.filter(cd_nom__isnull=False).values_list("pk", "cd_nom", "cd_ref"):
        by_ref[cd_ref or cd_nom].append(pk)
        if cd_ref and cd_ref != cd_nom:
            by_ref[cd_nom].append(pk)  # a file older than our names still finds them
    known, statuses, seen = set(), [], set()
    table = _open(path, BDC_COLUMNS, "BDC statuts")
    keys, cd_nom_of, cd_ref_of = table.keys, _cell(table, "CD_NOM"), _cell(table, "CD_REF")
    for _line, cells in _rows(table, path, progress, "BDC"):
        report.status_lines += 1
        cd_nom = _integer(cd_nom_of(cells))
        cd_ref = _integer(cd_ref_of(cells)) or cd_nom
        if cd_ref is None:
            report.invalid_lines += 1
            continue
        pks = set(by_ref.get(cd_ref, ())) | set(by_ref.get(cd_nom, ()))
        if not pks:
            continue
        row = dict(zip(keys, cells))
        known.update(pks)
        codes = {_key(row.get(name)) for name in ("LB_ADM_TR", "CD_SIG", "CD_ISO3166_2")} - {""}
        if not codes & wanted:
            continue
        type_code = (row.get("CD_TYPE_STATUT") or "").strip()[:20]
        territory_code = (row.get("CD_SIG") or row.get("CD_ISO3166_2") or "").strip()[:20]
        code = (row.get("CODE_STATUT") or "").strip()[:20]
        for pk in pks:
            identity = (pk, type_code, territory_code, code)
            if identity in seen:  # one line per name (synonyms) and per article: one badge
                continue
            seen.add(identity)
            statuses.append(TaxonStatus(
                taxon_id=pk,
                kind=status_kind(type_code, row.get("REGROUPEMENT_TYPE", ""), row.get("LB_TYPE_STATUT", "")),
                type_code=type_code,
                type_label=(row.get("LB_TYPE_STATUT") or "").strip()[:200],
                territory=(row.get("LB_ADM_TR") or "").strip()[:100],
                territory_code=territory_code,
                territory_level=LEVELS.get(_key(row.get("NIVEAU_ADMIN")), 3),
                code=code,
                label=(row.get("LABEL_STATUT") or "").strip()[:200],
                document=(row.get("FULL_CITATION") or "").strip(),
                document_url=(row.get("DOC_URL") or "").strip()[:500],
                source="bdc",
            ))
    TaxonStatus.objects.filter(source="bdc").delete()
    for flag_status in FLAG_STATUSES.values():
        TaxonStatus.objects.filter(taxon__in=known, source="saisie", kind=flag_status["kind"],
                                   code=flag_status["code"]).delete()
    TaxonStatus.objects.bulk_create(statuses, batch_size=1000)
    refresh_flags()
    report.statuses = len(statuses)
    report.taxa_with_statuses = len({status.taxon_id for status in statuses})
    report.changed_pks.update(known)
    return report


def refresh_taxref(taxref_path=None, statuses_path=None, version="", wanted_territories=None,
                   progress=lambda message: None):
    """The whole refresh, one transaction: names first (they give cd_ref), then statuses; search updated after."""
    version = version or version_from_filename(taxref_path or statuses_path or "")
    if taxref_path and not version:
        raise TaxrefError("Version de TAXREF introuvable dans le nom du fichier : précisez --version (par exemple 17.0).",
                          code="version")
    report = RefreshReport(version=version)
    with transaction.atomic():
        if taxref_path:
            refresh_names(taxref_path, version, progress, report)
        if statuses_path:
            load_statuses(statuses_path, wanted_territories, progress, report)
        pks = sorted(report.changed_pks)
        transaction.on_commit(lambda: [reindex(taxon) for taxon in Taxon.objects.filter(pk__in=pks)])
    return report
