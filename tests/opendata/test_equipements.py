"""/donnees/equipements.csv checked against SCDL « Équipements » 0.1.5 (rules copied from the schema's
documentation, https://schema.data.gouv.fr/scdl/equipements/0.1.5/, not from our code)."""

import csv
import io
import re
from decimal import Decimal

import pytest

from biodiversitheque.core.models import SiteSettings
from prets.equipements import missing_values, national_phone, records, split_street, street_line
from prets.models import LendingPoint, OpeningHours

pytestmark = pytest.mark.django_db

SCHEMA_FIELDS = [
    "COLL_NOM", "COLL_SIRET", "EQUIP_UID", "EQUIP_THEME", "EQUIP_CODE", "EQUIP_TYPE", "EQUIP_NOM", "ADR_NUMERO",
    "ADR_NOMVOIE", "ADR_CODEPOSTAL", "ADR_COMMUNE", "ADR_CLE_INTEROP", "ERP_ID", "ERP_TYPE", "ERP_CATEGORIE",
    "EQUIP_LAT", "EQUIP_LONG", "EQUIP_OUVERTURE", "EQUIP_TEL", "EQUIP_EMAIL", "EQUIP_WEB",
]
SCHEMA_REQUIRED = ["COLL_NOM", "COLL_SIRET", "EQUIP_UID", "EQUIP_THEME", "EQUIP_CODE", "EQUIP_TYPE", "EQUIP_NOM",
                   "ADR_NUMERO", "ADR_NOMVOIE", "ADR_CODEPOSTAL", "ADR_COMMUNE", "EQUIP_LAT", "EQUIP_LONG"]
THEMES = {"Equipement administratif", "Equipement de justice", "Equipement sanitaire",
          "Equipement social et d'animation", "Equipement sportif et de loisirs", "Equipement d'enseignement",
          "Equipement cultuel", "Equipement culturel", "Equipement de mobilité", "Autre équipement"}
PATTERNS = {
    "COLL_SIRET": r"^\d{14}$",
    "EQUIP_UID": r"^[0-9A-B]{5}-[0-9]{8}-[0-9]{3}",
    "ADR_NOMVOIE": r"^[a-zA-Z0-9\-\'\s\d\u00C0-\u00FF]+$",
    "ADR_COMMUNE": r"^[A-Za-z\s\-\u00C0-\u00FF]+$",
}
MAX_LENGTHS = {"COLL_NOM": 140, "EQUIP_UID": 18, "EQUIP_CODE": 12, "EQUIP_TYPE": 140, "EQUIP_NOM": 256,
               "ADR_CODEPOSTAL": 5, "EQUIP_TEL": 13}
# OpenStreetMap's opening_hours, in the simple form we write: "Mo 08:30-12:00,13:30-17:30; Sa 08:30-12:00".
OSM_HOURS = r"^(Mo|Tu|We|Th|Fr|Sa|Su) \d\d:\d\d-\d\d:\d\d(,\d\d:\d\d-\d\d:\d\d)*(; (Mo|Tu|We|Th|Fr|Sa|Su) \d\d:\d\d-\d\d:\d\d(,\d\d:\d\d-\d\d:\d\d)*)*$"


def download(client):
    response = client.get("/donnees/equipements.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_the_file_follows_the_schema(demo, client):
    header, *rows = download(client)
    assert header == SCHEMA_FIELDS
    assert rows
    for row in rows:
        values = dict(zip(header, row, strict=True))
        assert [name for name in SCHEMA_REQUIRED if not values[name]] == [], values
        assert values["EQUIP_THEME"] in THEMES
        for name, pattern in PATTERNS.items():
            assert re.match(pattern, values[name]), (name, values[name])
        for name, length in MAX_LENGTHS.items():
            assert len(values[name]) <= length, (name, values[name])
        assert len(values["ADR_NOMVOIE"]) > 3
        assert values["EQUIP_UID"] == f"{values['EQUIP_UID'][:5]}-{values['EQUIP_CODE']}"
        assert -90 <= float(values["EQUIP_LAT"]) <= 90 and -180 <= float(values["EQUIP_LONG"]) <= 180
        assert not values["EQUIP_OUVERTURE"] or re.match(OSM_HOURS, values["EQUIP_OUVERTURE"])
        assert not values["EQUIP_EMAIL"] or re.match(r"^[^@\s]+@[^@\s]+\.[a-z]+$", values["EQUIP_EMAIL"])
        assert values["EQUIP_WEB"].startswith("http://testserver/")
    uids = [row[header.index("EQUIP_UID")] for row in rows]
    assert len(set(uids)) == len(uids)


def test_the_biodiversitheque_comes_first_with_its_desk_hours_and_the_other_points_follow(demo, client):
    header, *rows = download(client)
    names = [row[header.index("EQUIP_NOM")] for row in rows]
    assert names == ["Biodiversithèque de Villeneuve-la-Verte", "Bibliothèque annexe des Prés",
                     "Cabane des jardins partagés"]
    first = dict(zip(header, rows[0], strict=True))
    assert (first["COLL_NOM"], first["COLL_SIRET"]) == ("Commune de Villeneuve-la-Verte", "21379999900014")
    assert (first["ADR_NUMERO"], first["ADR_NOMVOIE"], first["ADR_CODEPOSTAL"]) == ("4", "Rue des Tilleuls", "37000")
    # The lending point at the same address is the biodiversithèque's own desk: its hours, not a second row.
    assert first["EQUIP_OUVERTURE"] == "We 14:00-18:00; Sa 10:00-12:30,14:00-18:00"
    assert first["EQUIP_TEL"] == "0261911020"
    square = dict(zip(header, rows[1], strict=True))
    assert (square["ADR_NUMERO"], square["ADR_NOMVOIE"]) == ("2", "Place des Prés")


def test_a_point_without_coordinates_is_left_out_and_reported(demo):
    settings = SiteSettings.objects.get()
    point = LendingPoint.objects.create(name="Kiosque du marché", address="place du Marché", postal_code="37000",
                                        city="Villeneuve-la-Verte")
    assert "Kiosque du marché" not in [item["EQUIP_NOM"] for item in records(settings)]
    assert missing_values(settings) == {"Kiosque du marché": ["EQUIP_LAT", "EQUIP_LONG"]}
    point.latitude, point.longitude = Decimal("47.39"), Decimal("0.68")
    point.save()
    added = next(item for item in records(settings) if item["EQUIP_NOM"] == "Kiosque du marché")
    assert (added["ADR_NUMERO"], added["EQUIP_OUVERTURE"]) == ("99999", "")


def test_text_a_spreadsheet_would_run_is_neutralised(demo, client):
    point = LendingPoint.objects.create(name="=HYPERLINK(\"http://x\")", address="1 rue Haute", postal_code="37000",
                                        city="Villeneuve-la-Verte", latitude=Decimal("47.3"), longitude=Decimal("0.6"))
    OpeningHours.objects.create(point=point, weekday=0, opens="09:00", closes="12:00")
    header, *rows = download(client)
    row = next(row for row in rows if "HYPERLINK" in row[header.index("EQUIP_NOM")])
    assert row[header.index("EQUIP_NOM")].startswith("'=")
    assert row[header.index("EQUIP_OUVERTURE")] == "Mo 09:00-12:00"


def test_a_town_without_siret_gets_an_empty_file_and_knows_why(demo, client):
    SiteSettings.objects.update(siret="")
    header, *rows = download(client)
    assert header == SCHEMA_FIELDS and rows == []
    assert all("COLL_SIRET" in missing for missing in missing_values(SiteSettings.objects.get()).values())


@pytest.mark.parametrize(("line", "expected"), [
    ("4 rue des Tilleuls", ("4", "Rue des Tilleuls")),
    ("36 bis, avenue Ardouin", ("36 bis", "Avenue Ardouin")),
    ("place des Prés", ("99999", "Place des Prés")),
    ("12 rue de l’Église", ("12", "Rue de l'Église")),
])
def test_split_street(line, expected):
    assert split_street(line) == expected


def test_street_line_skips_the_place_name_and_the_postal_line():
    assert street_line("La Grange aux Savoirs\n4 rue des Tilleuls\n37000 Villeneuve") == "4 rue des Tilleuls"
    assert street_line("Le Moulin\nchemin du Bief\n37000 Villeneuve") == "chemin du Bief"


@pytest.mark.parametrize(("phone", "expected"), [
    ("02 61 91 10 20", "0261911020"), ("+33 2 61 91 10 20", "0261911020"), ("12", ""), ("", "")])
def test_national_phone(phone, expected):
    assert national_phone(phone) == expected
