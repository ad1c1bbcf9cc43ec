"""Every CSV the portal writes or reads goes through here (see docs/imports-et-exports.md).

Writing: SPREADSHEET files open in a French spreadsheet (";", UTF-8 with BOM, dd/mm/yyyy, decimal comma,
oui/non); EXCHANGE files are for machines (",", UTF-8, ISO 8601, decimal point). Both neutralise text cells
that a spreadsheet would run as a formula.
Reading: one reader for every import (encoding, separator, header keys, spreadsheet row numbers), streaming.
"""

import codecs
import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.admin.utils import label_for_field
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.text import capfirst
from unidecode import unidecode
from wagtail.coreutils import multigetattr

# OWASP "CSV injection": a cell starting with one of these is run as a formula by spreadsheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    bom: bool
    french: bool  # French spreadsheet conventions for dates, decimals and booleans


SPREADSHEET = Dialect(delimiter=";", bom=True, french=True)
EXCHANGE = Dialect(delimiter=",", bom=False, french=False)


def neutralise(text):
    """Text a spreadsheet shows as typed: a leading apostrophe before a formula trigger (OWASP's rule)."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def format_cell(value, dialect=SPREADSHEET):
    """The text of one cell. Numbers stay numbers (a negative longitude is not a formula); text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("oui" if value else "non") if dialect.french else ("true" if value else "false")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (Decimal, float)):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return text.replace(".", ",") if dialect.french else text
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if dialect.french:
            return value.strftime("%d/%m/%Y %H:%M")
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y") if dialect.french else value.isoformat()
    return neutralise(force_str(value))


class _Echo:
    """A file-like object whose write returns the line, for streaming rows."""

    def write(self, value):
        return value


def csv_lines(header, rows, dialect=SPREADSHEET):
    """The file as an iterator of text lines: header, then one line per row (any iterable of values)."""
    writer = csv.writer(_Echo(), delimiter=dialect.delimiter, lineterminator="\r\n")
    first = writer.writerow([force_str(label) for label in header])
    yield ("\ufeff" + first) if dialect.bom else first
    for row in rows:
        yield writer.writerow([format_cell(value, dialect) for value in row])


def csv_response(filename, header, rows, dialect=SPREADSHEET):
    """A streamed download: memory stays flat however many rows."""
    response = StreamingHttpResponse(csv_lines(header, rows, dialect), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_value(item, field):
    """A model field's value for export: the French label of a choice, the text of a related object."""
    try:
        model_field = item._meta.get_field(field)
    except (FieldDoesNotExist, AttributeError):
        model_field = None
    if model_field is not None and model_field.choices:
        return getattr(item, f"get_{field}_display")()
    value = multigetattr(item, field)
    if callable(value):
        value = value()
    return force_str(value) if isinstance(value, models.Model) else value


class SpreadsheetExportMixin:
    """Put before Wagtail's view class: its `list_export` CSV becomes ours (French spreadsheet), its XLSX
    gets local times and French choice labels. Works for ModelAdmin, SnippetViewSet and report views."""

    custom_value_preprocess = {
        datetime.datetime: {
            "xlsx": lambda value: (timezone.localtime(value) if timezone.is_aware(value) else value).replace(
                tzinfo=None, microsecond=0
            )
        },
        (datetime.date, datetime.time): {"xlsx": None},
        list: {"xlsx": lambda value: ", ".join(force_str(item) for item in value)},
    }

    def get_heading(self, queryset, field):
        heading = self.export_headings.get(field)
        if heading:
            return force_str(heading)
        try:
            return capfirst(force_str(label_for_field(field, queryset.model)))
        except (AttributeError, FieldDoesNotExist):
            return field

    def to_row_dict(self, item):
        return {field: export_value(item, field) for field in self.list_export}

    def write_csv_response(self, queryset):
        header = [self.get_heading(queryset, field) for field in self.list_export]
        rows = (self.to_row_dict(item).values() for item in queryset)
        return csv_response(f"{self.get_filename()}.csv", header, rows)


# Reading -------------------------------------------------------------------------------------------

DELIMITERS = (",", ";", "\t")
CHUNK = 1 << 20
NOT_TEXT = (
    "ce fichier n'est pas un CSV (classeur XLSX ou ODS ?) : ouvrez-le dans votre tableur et enregistrez-le "
    "en « CSV UTF-8 »"
)
UNKNOWN_ENCODING = "encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 » depuis votre tableur"


class CsvError(Exception):
    """The file cannot be read; the message is French, `line` the spreadsheet row (1 = header)."""

    def __init__(self, message, line=1):
        super().__init__(message)
        self.line = line


def header_key(value):
    """'decimalLatitude', 'decimal_latitude', ' Décimal latitude ' all give 'decimallatitude'."""
    return re.sub(r"[^a-z0-9]", "", unidecode(value or "").lower())


def _binary(source):
    """A seekable binary file for a Path, bytes, text (the CSV itself) or file object."""
    if isinstance(source, Path):
        return open(source, "rb")  # noqa: SIM115 — closed by CsvTable.close
    if isinstance(source, str):
        return io.BytesIO(source.encode("utf-8"))
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(source)
    if getattr(source, "seekable", lambda: False)():
        source.seek(0)
        if not isinstance(source.read(0), str):
            return source
    data = source.read()
    return io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)


def _decodes(handle, encoding):
    """Whether the whole file decodes, read chunk by chunk."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := handle.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(handle):
    """'utf-8-sig', 'utf-16' (Excel's "Unicode text") or 'cp1252' (Excel's "CSV (Windows)"), else CsvError."""
    handle.seek(0)
    start = handle.read(4)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if start.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"\x00" in start:
        raise CsvError(NOT_TEXT)
    for encoding in ("utf-8-sig", "cp1252"):
        if _decodes(handle, encoding):
            return encoding
    raise CsvError(UNKNOWN_ENCODING)


class CsvTable:
    """An opened CSV: `headers` as written, `keys` normalised, `delimiter`, `encoding`; rows read lazily."""

    def __init__(self, source, key=header_key):
        self._binary = _binary(source)
        self._owns_file = isinstance(source, Path)
        self._text = None
        try:
            self._open(key)
        except BaseException:
            self.close()
            raise

    def _open(self, key):
        self.encoding = detect_encoding(self._binary)
        self._binary.seek(0)
        self._text = io.TextIOWrapper(self._binary, encoding=self.encoding, newline="")
        first_line = self._text.readline()
        if not first_line.strip():
            raise CsvError("le fichier est vide")
        counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
        self.delimiter = max(counts, key=counts.get)
        if counts[self.delimiter] == 0:
            raise CsvError(
                "une seule colonne trouvée : le séparateur doit être une virgule, un point-virgule ou une tabulation"
            )
        self._text.seek(0)
        self._reader = csv.reader(self._text, delimiter=self.delimiter)
        try:
            headers = next(self._reader)
        except csv.Error as error:
            raise CsvError(f"ligne d'en-tête illisible ({error})") from None
        self.headers = [header.lstrip("\ufeff").strip() for header in headers]
        self.keys = [key(header) for header in self.headers]

    def rows(self):
        """(spreadsheet row number, list of cells) for each non-blank row, read as needed."""
        line = 1
        try:
            for cells in self._reader:
                line += 1
                if any(cell.strip() for cell in cells):
                    yield line, cells
        except csv.Error as error:
            raise CsvError(f"ligne illisible ({error})", line + 1) from None

    def records(self):
        """(row number, {key: cell}) for each non-blank row."""
        for line, cells in self.rows():
            yield line, dict(zip(self.keys, cells))

    def close(self):
        """Let go of the file; a file object given by the caller is left open for it."""
        text, self._text = self._text, None
        if text is not None:
            try:
                text.detach()  # else the wrapper would close the caller's file when collected
            except ValueError:
                pass  # already closed by its owner
        if self._owns_file:
            self._binary.close()


def read_csv(source, key=header_key):
    """Open `source` (path, bytes, text or file object) as a CsvTable; raises CsvError in French."""
    return CsvTable(source, key=key)
