"""Import observations into an inventory: validate the whole file, then write it in short batches."""

from itertools import islice
from dataclasses import dataclass, field

from django.db import transaction

from biodiversitheque.core.csvio import CsvError, read_csv

from biodiversitheque.search.services import reindex_many, schedule_reindex
from ressources.models import Observation, Taxon, TaxonResolver

from .detect import detect_format
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


def batched(iterable, size):
    """Lists of `size` items (the last one shorter), consuming `iterable` lazily."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _open(data):
    try:
        return read_csv(data)
    except CsvError as error:
        raise ObservationImportError(_message(error)) from error


def _message(error):
    text = str(error)
    text = text[:1].upper() + text[1:] + "."
    return f"Ligne {error.line} : {text}" if error.line > 1 else text


def _valid_rows(table, file_format, report=None):
    """(line, values) of each valid present row; absences and errors go into the report when given."""
    try:
        for line, row in table.records():
            raw = file_format.map_row(row)
            if report is not None:
                report.rows += 1
            if raw.get("absent"):
                if report is not None:
                    report.absences += 1
                continue
            values, errors = validate_row(raw)
            if errors:
                if report is not None:
                    report.error_count += 1
                    if len(report.errors) < MAX_ERRORS_KEPT:
                        report.errors.append((line, " ; ".join(errors)))
                continue
            yield line, values
    except CsvError as error:
        raise ObservationImportError(_message(error)) from error
    finally:
        table.close()


def analyse(data, report, existing):
    """First pass, streaming and writing nothing: count, validate, and find the rows to create.

    Returns the format, the identifiers the import will create, and the lines of in-file duplicates
    (usually few) that the second pass skips.
    """
    table = _open(data)
    try:
        file_format = detect_format(set(table.keys))
    except CsvError as error:
        table.close()
        raise ObservationImportError(_message(error)) from error
    report.format_name, report.format_label = file_format.NAME, str(file_format.LABEL)
    new_ids, duplicate_lines = set(), set()
    for line, values in _valid_rows(table, file_format, report):
        report.valid += 1
        identifier = values["occurrence_id"]
        if identifier in existing:
            report.already_present += 1
        elif identifier in new_ids:
            report.duplicates_in_file += 1
            duplicate_lines.add(line)
        else:
            new_ids.add(identifier)
    if report.rows == 0:
        raise ObservationImportError("Le fichier ne contient aucune ligne de données.", code="empty")
    return file_format, new_ids, duplicate_lines


def import_observations(inventory, data, *, skip_invalid=False, dry_run=False, progress=None):
    """Import the CSV `data` (a Path, bytes, text or binary file) into `inventory`; returns an ImportReport.

    The file is read twice, lazily: a first pass validates everything and writes nothing, the second
    writes in batches of BATCH_SIZE, each its own short transaction, so that the site keeps answering
    during a long import. Nothing is written when a row is invalid, unless skip_invalid; nothing at all
    with dry_run. If writing fails midway, the batches already written are deleted again.
    Rows whose identifier is already in the inventory are left as they are, so re-importing adds nothing
    (and completes an import whose process was killed).
    """
    report = ImportReport(dry_run=dry_run)
    existing = set(
        Observation.objects.filter(inventory=inventory).exclude(occurrence_id="").values_list("occurrence_id", flat=True)
    )
    file_format, new_ids, duplicate_lines = analyse(data, report, existing)
    if report.error_count and not skip_invalid and not dry_run:
        return report
    if dry_run:
        report.created = len(new_ids)
        return report
    rows = (
        values for line, values in _valid_rows(_open(data), file_format)
        if line not in duplicate_lines and values["occurrence_id"] not in existing
    )
    write(inventory, file_format.NAME, rows, report, progress, total=len(new_ids), new_ids=new_ids)
    report.imported = True
    return report


def write(inventory, source, rows, report, progress=None, *, total=0, new_ids=()):
    """Create the observations, BATCH_SIZE per transaction; on any failure, undo what was written."""
    resolver = TaxonResolver().preload()
    taxa_before = {taxon.pk for taxon in resolver.by_name.values()}
    touched = {}
    try:
        for batch in batched(rows, BATCH_SIZE):
            # One short transaction per batch: a registration waits for one batch at most, not the file.
            with transaction.atomic():
                observations = [_observation(inventory, source, values, resolver, touched) for values in batch]
                report.created += len(Observation.objects.bulk_create(observations))
            if progress:
                progress(report.created, total)
    except Exception as error:
        _undo(inventory, new_ids, {taxon.pk for taxon in resolver.by_name.values()} - taxa_before)
        report.created = 0
        raise ObservationImportError(
            f"L'enregistrement a échoué ({error.__class__.__name__}) : rien n'a été importé. Réessayez.",
            code="write_failed",
        ) from error
    report.new_taxa = len({taxon.pk for taxon in resolver.by_name.values()} - taxa_before)
    # bulk_create sends no signal: the site search indexes the inventory once, and the touched species in one
    # pass (hundreds of them in a large file; one by one, they cost more than writing the rows).
    schedule_reindex(inventory)
    taxa = list(touched.values())
    transaction.on_commit(lambda: reindex_many(taxa))


def _undo(inventory, new_ids, new_taxon_ids):
    """Delete what this import created: its identifiers were not in the inventory before it started."""
    for chunk in batched(new_ids, 500):
        with transaction.atomic():
            Observation.objects.filter(inventory=inventory, occurrence_id__in=chunk).delete()
    Taxon.objects.filter(pk__in=new_taxon_ids, observations__isnull=True).delete()


def _observation(inventory, source, values, resolver, touched):
    taxon = resolver.resolve(
        scientific_name=values["scientific_name"], vernacular_name=values["vernacular_name"],
        cd_nom=values["cd_nom"], group=values["group"],
    )
    touched[taxon.pk] = taxon
    return Observation(
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
    )
