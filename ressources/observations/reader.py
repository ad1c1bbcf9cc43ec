"""Read an uploaded CSV: encoding (UTF-8 with or without BOM, else Windows-1252), delimiter , ; or tab."""

import csv
import io

from .formats.base import normalize_header

DELIMITERS = [",", ";", "\t"]


class FileError(Exception):
    """The file cannot be read at all; the message is French and shown as is."""


def decode(data):
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets saved in "CSV (Windows)" are Windows-1252; every byte decodes, accents come out right.
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(header_line):
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise FileError("Une seule colonne trouvée : le séparateur doit être une virgule, un point-virgule ou une tabulation.")
    return delimiter


def read_rows(data):
    """(original headers, normalised headers, iterator of (line number, row dict keyed by normalised header))."""
    text = decode(data)
    if not text.strip():
        raise FileError("Le fichier est vide.")
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(header_line))
    try:
        headers = next(reader)
    except csv.Error as error:
        raise FileError(f"Ligne 1 illisible : {error}.") from error
    normalised = [normalize_header(header) for header in headers]

    def rows():
        try:
            for values in reader:
                if not any(value.strip() for value in values):
                    continue
                yield reader.line_num, dict(zip(normalised, values))
        except csv.Error as error:
            raise FileError(f"Ligne {reader.line_num} illisible : {error}.") from error

    return headers, set(normalised), rows()
