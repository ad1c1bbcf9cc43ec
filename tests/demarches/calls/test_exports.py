import csv
import datetime
import io
import re
import uuid
from decimal import Decimal

import pytest

from demarches.calls import choices as c
from demarches.calls import exports, services
from demarches.calls.models import Instalment

from .conftest import fill

pytestmark = pytest.mark.django_db

COG = re.compile(r"^[A-Z]+-\d+(\|[A-Z]+-\d+)*$")
CIBLES = re.compile(r"^(professionnels|particuliers|associations|secteur public)"
                    r"(\|(professionnels|particuliers|associations|secteur public))*$")
PERIOD = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(/[0-9]{4}-[0-9]{2}-[0-9]{2})?$")


def test_dispositif_aide_has_every_required_field(client, call):
    record = client.get(f"/api/appels/{call.pk}/dispositif-aide.json").json()
    for field in exports.DISPOSITIF_AIDE_REQUIRED:
        assert record.get(field) not in (None, ""), field
    uuid.UUID(record["id"])
    assert len(record["titre"]) <= 100 and len(record["description"]) <= 5000
    assert COG.match(record["eligibilite_geographique"])
    assert record["eligibilite_geographique"] == "COM-62119|COM-62498"
    assert CIBLES.match(record["cibles"])
    assert datetime.datetime.fromisoformat(record["date_mise_a_jour"])
    assert record["porteurs"][0]["roles"]


def test_unpublished_call_has_no_open_data(client, call):
    call.unpublish()
    assert client.get(f"/api/appels/{call.pk}/dispositif-aide.json").status_code == 404
    assert client.get("/api/appels/").json()["count"] == 0


@pytest.fixture
def laureate(call, access, django_user_model):
    # A beneficiary's name typed as a formula: the CSV must not let a spreadsheet run it.
    fill(access, organisation_name="=HYPERLINK(\"http://evil\")", siret="12345678900011")
    application = services.submit(access)
    services.decide(application, c.SELECTED, None, amount=Decimal("8000"))
    services.publish_results(call, now=call.closes_at + datetime.timedelta(days=1))
    Instalment.objects.create(application=application, due_date=datetime.date(2027, 1, 15),
                              amount=Decimal("4000"), status=c.INSTALMENT_PAID, paid_on=datetime.date(2027, 1, 20))
    Instalment.objects.create(application=application, due_date=datetime.date(2027, 9, 1), amount=Decimal("4000"))
    return application


def test_subventions_csv_follows_scdl(client, call, laureate):
    response = client.get(f"/api/appels/{call.pk}/subventions.csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == exports.SUBVENTIONS_FIELDS
    row = rows[0]
    for field in exports.SUBVENTIONS_REQUIRED:
        assert row[field] != "", field
    assert re.match(r"^\d{14}$", row["idAttribuant"])
    assert row["montant"] == "8000.00"
    assert row["conditionsVersement"] == "échelonné"
    assert PERIOD.match(row["datesPeriodeVersement"]) and row["datesPeriodeVersement"] == "2027-01-20/2027-09-01"
    assert row["nature"] == "aide en numéraire" and row["notificationUE"] == "non"
    assert row["nomBeneficiaire"].startswith("'=")
    assert len(rows) == 1


def test_subventions_empty_before_results(client, call, access):
    fill(access)
    services.submit(access)
    text = b"".join(client.get(f"/api/appels/{call.pk}/subventions.csv").streaming_content).decode()
    assert len(text.strip().splitlines()) == 1  # the header only


def test_paid_totals(call, laureate):
    assert call.granted_total() == Decimal("8000")
    assert call.paid_total() == Decimal("4000")
    assert laureate.paid_total() == Decimal("4000")
