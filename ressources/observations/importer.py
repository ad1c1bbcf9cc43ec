"""Import observations into an inventory: one reading of the file, written in batches in one transaction."""

from dataclasses import dataclass, field
from itertools import islice

from django.db import connections, transaction

from biodiversitheque.core.csvio import CsvError, read_csv
from biodiversitheque.search.services import schedule_reindex
from ressources.models import Observation, TaxonResolver
from ressources.search_documents import reindex_species

from .detect import detect_format
from .validate import validate_row

BATCH_SIZE = 2000
MAX_ERRORS_KEPT = 200


class ObservationImportError(Exception):
    """The file cannot be imported; `code` is machine-readable, the message French."""

    def __init__(self, message, code="invalid_file"):
        super().__init__(message)
        self.code = code


class _WriteFailed(Exception):
    """Writing a batch failed (the database, not the file): the whole import is rolled back."""


class _Refused(Exception):
    """The file has invalid rows: leave the transaction, so that the batches already written are undone."""


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


def _message(error):
    text = str(error)
    text = text[:1].upper() + text[1:] + "."
    return f"Ligne {error.line} : {text}" if error.line > 1 else text


def _open(data, report):
    """The opened file and its format module; a French ObservationImportError if it cannot be read."""
    try:
        table = read_csv(data)
    except CsvError as error:
        raise ObservationImportError(_message(error)) from error
    try:
        file_format = detect_format(set(table.keys))
    except CsvError as error:
        table.close()
        raise ObservationImportError(_message(error)) from error
    report.format_name, report.format_label = file_format.NAME, str(file_format.LABEL)
    return table, file_format


def _new_rows(table, file_format, report, existing):
    """Values of each valid row to create, read lazily; the report counts absences, errors and duplicates."""
    seen = set()
    try:
        for line, row in table.records():
            raw = file_format.map_row(row)
            report.rows += 1
            if raw.get("absent"):
                report.absences += 1
                continue
            values, errors = validate_row(raw)
            if errors:
                report.error_count += 1
                if len(report.errors) < MAX_ERRORS_KEPT:
                    report.errors.append((line, " ; ".join(errors)))
                continue
            report.valid += 1
            identifier = values["occurrence_id"]
            if identifier in existing:
                report.already_present += 1
            elif identifier in seen:
                report.duplicates_in_file += 1
            else:
                seen.add(identifier)
                yield values
    except CsvError as error:
        raise ObservationImportError(_message(error)) from error
    finally:
        table.close()


def import_observations(inventory, data, *, skip_invalid=False, dry_run=False, progress=None):
    """Import the CSV `data` (a Path, bytes, text or binary file) into `inventory`; returns an ImportReport.

    The file is read once, lazily, and written in batches of BATCH_SIZE as it is read, all in one
    transaction: when a row is invalid (unless skip_invalid) the transaction is rolled back and nothing
    stays written, whatever the line; with dry_run nothing is written at all. Rows whose identifier is
    already in the inventory are left as they are, so re-importing adds nothing. `progress(created, read)`
    is called after each batch with the observations written and the rows read so far.
    """
    report = ImportReport(dry_run=dry_run)
    existing = set(
        Observation.objects.filter(inventory=inventory).exclude(occurrence_id="").values_list("occurrence_id", flat=True)
    )
    table, file_format = _open(data, report)
    rows = _new_rows(table, file_format, report, existing)
    if dry_run:
        report.created = sum(1 for _values in rows)
        _require_rows(report)
        return report
    writer = _Writer(inventory, file_format.NAME, report)
    try:
        with transaction.atomic():
            for batch in batched(rows, BATCH_SIZE):
                if report.error_count and not skip_invalid:
                    continue  # refused: keep reading only to report every invalid line
                writer.write(batch)
                if progress:
                    progress(report.created, report.rows)
            _require_rows(report)
            if report.error_count and not skip_invalid:
                raise _Refused
            writer.finish()
    except _Refused:
        report.created = report.new_taxa = 0
        return report
    except _WriteFailed as error:
        report.created = report.new_taxa = 0
        cause = error.__cause__
        raise ObservationImportError(
            f"L'enregistrement a échoué ({cause.__class__.__name__}) : rien n'a été importé. Réessayez.",
            code="write_failed",
        ) from cause
    report.imported = True
    return report


def _require_rows(report):
    if report.rows == 0:
        raise ObservationImportError("Le fichier ne contient aucune ligne de données.", code="empty")


class _Writer:
    """Turns batches of validated values into observations: taxa resolved in memory, new ones inserted
    in bulk before each batch of observations; the search index is updated once, after the commit."""

    def __init__(self, inventory, source, report):
        self.inventory, self.source, self.report = inventory, source, report
        self.resolver = TaxonResolver(defer_creation=True).preload()
        self.touched = {}

    def write(self, batch):
        try:
            records = [self._record(values) for values in batch]
            self.report.new_taxa += len(self.resolver.save_pending())
            self.report.created += insert_observations(records)
        except Exception as error:
            raise _WriteFailed from error

    def finish(self):
        if not self.report.created:
            return
        # No save(), no signal: the site search indexes the inventory once, and the touched species in one
        # pass with what their documents need read for all of them at once.
        schedule_reindex(self.inventory)
        taxa = list(self.touched.values())
        transaction.on_commit(lambda: reindex_species(taxa))

    def _record(self, values):
        """The observation's fields (attribute names), taken from its taxon as it is at this row."""
        taxon = self.resolver.resolve(
            scientific_name=values["scientific_name"], vernacular_name=values["vernacular_name"],
            cd_nom=values["cd_nom"], group=values["group"],
        )
        self.touched[id(taxon)] = taxon  # by identity: a new taxon has no primary key yet
        return {
            "inventory_id": self.inventory.pk,
            "taxon": taxon,  # its id is read at insertion, once new taxa are saved
            "scientific_name": taxon.scientific_name,
            "vernacular_name": values["vernacular_name"] or taxon.vernacular_name,
            "cd_nom": values["cd_nom"] or taxon.cd_nom,
            "taxon_group": taxon.group,
            "is_protected": taxon.is_protected,
            "is_invasive": taxon.is_invasive,
            "is_sensitive": values["is_sensitive"],
            "count": values["count"],
            "observed_on": values["observed_on"],
            "latitude": values["latitude"],
            "longitude": values["longitude"],
            "precision": values["precision"],
            "occurrence_id": values["occurrence_id"],
            "source": self.source,
        }


def insert_observations(records):
    """INSERT the records (attribute name → value; absent fields take their default, sinp_id a new UUID)
    with one prepared statement run for every row (executemany); returns the number of rows.

    Values are prepared for the database by their field, as bulk_create() does, but without bulk_create()'s
    compilation of each value into the SQL, which cost more than reading and checking the rows."""
    if not records:
        return 0
    database = connections[Observation.objects.db]
    fields = [field for field in Observation._meta.concrete_fields if not field.primary_key]
    quote = database.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Observation._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    columns = [(field.attname, _preparer(field, database), field) for field in fields]
    params = []
    for record in records:
        record["taxon_id"] = record.pop("taxon").pk
        params.append([
            prepare(record[name]) if name in record else prepare(field.get_default())
            for name, prepare, field in columns
        ])
    with database.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


# Text and booleans reach every backend as they are: no call to the field for each of them.
AS_IS_TYPES = {"CharField", "TextField", "BooleanField"}
# Values that repeat from row to row (the inventory, taxa, dates, counts) are prepared once each.
REPEATED_TYPES = {"ForeignKey", "DateField", "IntegerField", "PositiveIntegerField"}


def _preparer(field, database):
    kind = field.get_internal_type()
    if kind in AS_IS_TYPES:
        return lambda value: value

    def prepare(value):
        return None if value is None else field.get_db_prep_save(value, database)

    if kind not in REPEATED_TYPES:
        return prepare
    prepared = {}

    def prepare_once(value):
        try:
            return prepared[value]
        except KeyError:
            prepared[value] = result = prepare(value)
            return result

    return prepare_once
