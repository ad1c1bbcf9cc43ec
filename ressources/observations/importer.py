"""Import observations into an inventory: read, detect, validate every row, then write in one transaction."""

from dataclasses import dataclass, field

from django.db import transaction

from biodiversitheque.search.services import schedule_reindex
from ressources.models import Observation
from ressources.taxonomy import TaxonResolver

from .detect import detect_format
from .reader import FileError, read_rows
from .validate import validate_row

BATCH_SIZE = 2000
MAX_ERRORS_KEPT = 200


class ObservationImportError(Exception):
    """The file cannot be imported; `code` is machine-readable, the message French."""

    def __init__(self, message, code="invalid_file"):
        super().__init__(message)
        self.code = code


@dataclass
class ImportReport:
    format_name: str = ""
    format_label: str = ""
    rows: int = 0
    valid: int = 0
    created: int = 0
    already_present: int = 0
    duplicates_in_file: int = 0
    absences: int = 0
    new_taxa: int = 0
    error_count: int = 0
    errors: list = field(default_factory=list)  # (line number, message), the first MAX_ERRORS_KEPT
    imported: bool = False
    dry_run: bool = False

    @property
    def refused(self):
        return bool(self.error_count) and not self.imported and not self.dry_run

    def error_lines(self):
        return [f"Ligne {line} : {message}" for line, message in self.errors]


def analyse(data, report):
    """Every valid row's values, after reading the whole file; errors go into the report."""
    try:
        _headers, normalised, rows = read_rows(data)
        file_format = detect_format(normalised)
    except FileError as error:
        raise ObservationImportError(str(error)) from error
    report.format_name, report.format_label = file_format.NAME, str(file_format.LABEL)
    valid = []
    try:
        for line, row in rows:
            report.rows += 1
            raw = file_format.map_row(row)
            if raw.get("absent"):
                report.absences += 1
                continue
            values, errors = validate_row(raw)
            if errors:
                report.error_count += 1
                if len(report.errors) < MAX_ERRORS_KEPT:
                    report.errors.append((line, " ; ".join(errors)))
                continue
            values["line"] = line
            valid.append(values)
    except FileError as error:
        raise ObservationImportError(str(error)) from error
    if report.rows == 0:
        raise ObservationImportError("Le fichier ne contient aucune ligne de données.", code="empty")
    report.valid = len(valid)
    return file_format, valid


def import_observations(inventory, data, *, skip_invalid=False, dry_run=False, progress=None):
    """Import the CSV `data` (bytes or text) into `inventory`; returns an ImportReport.

    Nothing is written when a row is invalid, unless skip_invalid; nothing at all with dry_run.
    Rows whose identifier is already in the inventory are left as they are, so re-importing adds nothing.
    """
    report = ImportReport(dry_run=dry_run)
    file_format, valid = analyse(data, report)
    if report.error_count and not skip_invalid and not dry_run:
        return report
    existing = set(
        Observation.objects.filter(inventory=inventory).exclude(occurrence_id="").values_list("occurrence_id", flat=True)
    )
    seen = set()
    new_rows = []
    for values in valid:
        identifier = values["occurrence_id"]
        if identifier in existing:
            report.already_present += 1
        elif identifier in seen:
            report.duplicates_in_file += 1
        else:
            seen.add(identifier)
            new_rows.append(values)
    if dry_run:
        report.created = len(new_rows)
        return report
    with transaction.atomic():
        write(inventory, file_format.NAME, new_rows, report, progress)
    report.imported = True
    return report


def write(inventory, source, rows, report, progress=None):
    resolver = TaxonResolver().preload()
    taxa_before = len(resolver.by_name)
    batch, touched = [], {}
    for values in rows:
        taxon = resolver.resolve(
            scientific_name=values["scientific_name"], vernacular_name=values["vernacular_name"],
            cd_nom=values["cd_nom"], group=values["group"],
        )
        touched[taxon.pk] = taxon
        batch.append(Observation(
            inventory=inventory,
            taxon=taxon,
            scientific_name=taxon.scientific_name,
            vernacular_name=values["vernacular_name"] or taxon.vernacular_name,
            cd_nom=values["cd_nom"] or taxon.cd_nom,
            taxon_group=taxon.group,
            is_protected=taxon.is_protected,
            is_invasive=taxon.is_invasive,
            is_sensitive=values["is_sensitive"],
            count=values["count"],
            observed_on=values["observed_on"],
            latitude=values["latitude"],
            longitude=values["longitude"],
            precision=values["precision"],
            occurrence_id=values["occurrence_id"],
            source=source,
        ))
        if len(batch) >= BATCH_SIZE:
            report.created += len(Observation.objects.bulk_create(batch))
            batch = []
            if progress:
                progress(report.created, len(rows))
    if batch:
        report.created += len(Observation.objects.bulk_create(batch))
        if progress:
            progress(report.created, len(rows))
    report.new_taxa = len(resolver.by_name) - taxa_before
    # bulk_create sends no signal: the site search indexes the inventory and each touched species once, after commit.
    schedule_reindex(inventory)
    for taxon in touched.values():
        schedule_reindex(taxon)
