"""The organisers' export of registrations: opens in a French spreadsheet, never runs a participant's formula."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from openpyxl import load_workbook

from ateliers import services
from ateliers.models import Registration

URL = "/admin/ateliers/registration/"


@pytest.fixture
def admin_client(client, home_page):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    return client


@pytest.fixture
def hostile(occurrence):
    registration = services.register(
        occurrence.pk, name='=HYPERLINK("http://evil.example","Cliquez")', email="mal@example.org", places=1,
        phone="+33 6 12 34 56 78",
    )
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 5, 3, 7, 5, 9, 654321), datetime.UTC)
    )
    return registration


def test_csv_export_is_french_and_neutralised(admin_client, hostile):
    response = admin_client.get(URL, {"export": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert header == ["Date", "Nom", "Adresse e-mail", "Téléphone", "Places", "Statut", "Présent(e)", "Inscrite le"]
    assert row[1] == '\'=HYPERLINK("http://evil.example","Cliquez")'
    assert row[3] == "'+33 6 12 34 56 78"
    assert row[4:] == ["1", "Confirmée", "", "03/05/2026 09:05"]  # local time, no seconds, no microseconds


def test_xlsx_export_keeps_formulas_as_text_and_times_local(admin_client, hostile):
    response = admin_client.get(URL, {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [list(cells) for cells in sheet.iter_rows(min_row=1, max_row=2)]
    assert header[6].value == "Présent(e)"
    assert row[1].data_type == "s" and row[1].value.startswith("=HYPERLINK")
    assert row[5].value == "Confirmée"
    assert row[7].value == datetime.datetime(2026, 5, 3, 9, 5, 9)  # Paris time, whole seconds
