import csv
import io
import re
import uuid
from decimal import Decimal

import pytest

from ressources.models import Observation, Taxon
from ressources.observations import import_observations
from ressources.sensitivity import blurred_uncertainty, grid_centre
from ressources.sinp import SINP_COLUMNS, check_dataset_uuid
from tests.factories import InventoryPageFactory

WKT_POINT = re.compile(r"POINT\((-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)\)")
DATASET = "3f0b4f1e-8c1a-4c55-9d59-2d0c1f6a7b21"


def rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def published(inventory, sample, settings):
    settings.SINP_DATASET_UUID = DATASET
    settings.SINP_ORGANISM = "Ville de Saint-Cyr-sur-Loire"
    inventory.observers = "Les Amis des Mares\nGroupe ornithologique du Val"
    inventory.save_revision().publish()
    import_observations(inventory, sample("inaturalist.csv"))
    import_observations(inventory, sample("darwin-core.csv"))
    Taxon.objects.filter(cd_nom=444432).update(cd_ref=444432, taxref_version="17.0")
    return inventory


def test_inventory_sinp_file_has_geonature_columns_and_blurs_sensitive_records(client, published):
    response = client.get(published.url + "sinp.csv")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    data = rows(response)
    assert list(data[0]) == SINP_COLUMNS and len(data) == 28 + 19
    observations = {str(o.sinp_id): o for o in Observation.objects.filter(inventory=published)}
    for row in data:
        assert str(uuid.UUID(row["uuid_perm_sinp"])) == row["uuid_perm_sinp"] and row["uuid_perm_sinp"] in observations
        assert row["jdd_uuid"] == DATASET and row["organisme_gestionnaire_donnees"] == "Ville de Saint-Cyr-sur-Loire"
        assert row["statut_observation"] == "Pr" and row["date_debut"] == row["date_fin"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["date_debut"])
        longitude, latitude = map(Decimal, WKT_POINT.fullmatch(row["geometrie_wkt_4326"]).groups())
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        assert (row["x_centroid_4326"], row["y_centroid_4326"]) == (str(longitude), str(latitude))
    newt = next(row for row in data if row["nom_cite"] == "Triturus cristatus")
    assert (newt["cd_nom"], newt["cd_ref"], newt["version_taxref"]) == ("444432", "444432", "17.0")
    assert newt["observateurs"] == "Les Amis des Mares, Groupe ornithologique du Val"
    # Protected: at the centre of its cell, precision the cell's half-diagonal, sensitivity "10 km grid".
    source = observations[newt["uuid_perm_sinp"]]
    assert Decimal(newt["y_centroid_4326"]) == grid_centre(source.latitude)
    assert Decimal(newt["x_centroid_4326"]) == grid_centre(source.longitude)
    assert int(newt["precision_geographique"]) == blurred_uncertainty(source.latitude)
    assert (newt["niveau_sensibilite"], newt["niveau_precision_diffusion"], newt["floutage_dee"]) == ("2", "2", "OUI")
    bee = next(row for row in data if row["nom_cite"] == "Bombus terrestris")
    source = observations[bee["uuid_perm_sinp"]]
    assert Decimal(bee["y_centroid_4326"]) == source.latitude.normalize()
    assert (bee["niveau_sensibilite"], bee["niveau_precision_diffusion"], bee["floutage_dee"]) == ("0", "5", "NON")
    assert bee["comment_releve"] == "http://testserver" + published.url


def test_names_cannot_become_formulas(client, published):
    Observation.objects.filter(scientific_name="Bombus terrestris").update(scientific_name="=HYPERLINK(1)")

    data = rows(client.get(published.url + "sinp.csv"))

    assert {row["nom_cite"] for row in data} >= {"'=HYPERLINK(1)"}


def test_town_sinp_file_in_bounded_queries_reads_back_as_geonature(
    client, published, resource_index, sample, django_assert_max_num_queries
):
    draft = InventoryPageFactory(parent=resource_index, title="Brouillon", live=False)
    import_observations(draft, sample("geonature.csv"))

    with django_assert_max_num_queries(10):
        response = client.get("/donnees/sinp.csv")
        text = b"".join(response.streaming_content)
    assert len(list(csv.DictReader(io.StringIO(text.decode())))) == 28 + 19

    # Our own GeoNature import reads the file back: same records, sensitive ones still marked sensitive.
    copy = InventoryPageFactory(parent=resource_index, title="Copie")
    report = import_observations(copy, text)
    assert report.created == 28 + 19
    assert Observation.objects.filter(inventory=copy, source="geonature", is_sensitive=True).count() == \
        sum(1 for o in Observation.objects.filter(inventory=published).select_related("taxon") if o.needs_blurring)


def test_a_mistyped_dataset_uuid_is_reported_at_start_up(settings):
    settings.SINP_DATASET_UUID = "jdd-123"
    assert [error.id for error in check_dataset_uuid()] == ["ressources.E001"]
    settings.SINP_DATASET_UUID = DATASET
    assert check_dataset_uuid() == []
