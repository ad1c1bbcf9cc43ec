"""The one CSV writer and the one CSV reader of the portal."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from biodiversitheque.core.csvio import EXCHANGE, SPREADSHEET, CsvError, csv_lines, format_cell, header_key, read_csv


@pytest.mark.parametrize("text", ["=1+1", "+33 6 12", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_triggers_are_neutralised_in_both_dialects(text):
    assert format_cell(text, SPREADSHEET) == "'" + text
    assert format_cell(text, EXCHANGE) == "'" + text


def test_ordinary_text_and_numbers_are_left_alone():
    assert format_cell("Léa = Max") == "Léa = Max"
    assert format_cell(-3) == "-3"
    assert format_cell(Decimal("-1.550000"), SPREADSHEET) == "-1,550000"
    assert format_cell(Decimal("-1.55"), EXCHANGE) == "-1.55"


def test_french_and_exchange_formats_of_dates_and_booleans():
    moment = timezone.make_aware(datetime.datetime(2026, 7, 14, 8, 30, 12, 123456), datetime.UTC)
    assert format_cell(moment, SPREADSHEET) == "14/07/2026 10:30"  # Europe/Paris, no seconds nor microseconds
    assert format_cell(moment, EXCHANGE) == "2026-07-14T10:30:12+02:00"
    assert format_cell(datetime.date(2026, 7, 14), SPREADSHEET) == "14/07/2026"
    assert format_cell(datetime.date(2026, 7, 14), EXCHANGE) == "2026-07-14"
    assert (format_cell(True), format_cell(False), format_cell(None)) == ("oui", "non", "")


def test_spreadsheet_file_has_bom_semicolons_and_crlf():
    text = "".join(csv_lines(["Nom", "Places"], [["Léa; Max", 2]]))
    assert text == '\ufeffNom;Places\r\n"Léa; Max";2\r\n'
    assert "".join(csv_lines(["a", "b"], [[1, 2]], EXCHANGE)) == "a,b\r\n1,2\r\n"


# Reader --------------------------------------------------------------------------------------------


def rows(source):
    table = read_csv(source)
    return table, list(table.records())


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_separators_and_header_keys(delimiter):
    data = delimiter.join(["Nom scientifique", "Date début", "\ufeffx"]) + "\n" + delimiter.join("abc") + "\n"
    table, records = rows(data.encode())
    assert table.delimiter == delimiter
    assert table.keys == ["nomscientifique", "datedebut", "x"]
    assert records == [(2, {"nomscientifique": "a", "datedebut": "b", "x": "c"})]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_encodings_of_french_spreadsheets(encoding):
    table, records = rows("nom;lieu\nHérisson;Forêt\n".encode(encoding))
    assert table.headers == ["nom", "lieu"]
    assert records == [(2, {"nom": "Hérisson", "lieu": "Forêt"})]


def test_row_numbers_are_spreadsheet_rows_with_blank_and_multiline_rows():
    _table, records = rows(b'a;b\n1;"deux\nlignes"\n;\n3;4\n')
    assert [line for line, _record in records] == [2, 4]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "vide"),
    (b"nom date\nx y\n", "une seule colonne"),
    (b"PK\x03\x04" + bytes(40), "pas un CSV"),
    ("nom;lieu\nCr\x81er;x\n".encode("latin-1"), "encodage du fichier non reconnu"),
])
def test_unreadable_files_get_a_french_refusal(data, message):
    with pytest.raises(CsvError, match=message):
        read_csv(data)


def test_header_key_ignores_case_accents_and_separators():
    assert header_key("decimalLatitude") == header_key(" Decimal_latitude ") == "decimallatitude"
    assert header_key("Thème") == "theme"


def test_reader_is_lazy_on_a_file():
    lines = ["a;b"] + [f"{n};valeur {n}" for n in range(100_000)]
    handle = io.BytesIO("\n".join(lines).encode())
    table = read_csv(handle)
    first = next(table.records())
    assert first == (2, {"a": "0", "b": "valeur 0"})
    # Only a buffer has been read, not the whole file.
    assert handle.tell() < len(handle.getvalue()) / 4
