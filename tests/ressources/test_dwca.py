import datetime
from decimal import Decimal

import pytest
from dwca.darwincore.terms import TERMS
from dwca.darwincore.utils import qualname as qn
from dwca.read import DwCAReader
from wagtail.models import PageViewRestriction

from biodiversitheque.core.models import SiteSettings
from ressources.darwincore import DWC_TERMS, taxon_rank
from ressources.models import Observation
from ressources.observations import import_observations
from ressources.sensitivity import grid_centre
from tests.factories import InventoryPageFactory

EML = "{https://eml.ecoinformatics.org/eml-2.2.0}eml"


@pytest.fixture
def published(inventory, sample, home_page):
    inventory.summary = "Amphibiens et pollinisateurs autour de la mare."
    inventory.observers = "Les Amis des Mares"
    inventory.save_revision().publish()
    import_observations(inventory, sample("inaturalist.csv"))
    import_observations(inventory, sample("darwin-core.csv"))
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.town_name, site_settings.email = "Saint-Cyr-sur-Loire", "biodiversitheque@example.org"
    site_settings.save()
    return inventory


def read_archive(response, tmp_path):
    path = tmp_path / "archive.zip"
    path.write_bytes(b"".join(response.streaming_content))
    return DwCAReader(str(path))


def test_inventory_archive_reads_back_with_a_darwin_core_reader(client, published, tmp_path):
    response = client.get(published.url + "darwin-core.zip")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="mare-des-tilleuls-darwin-core.zip"' in response["Content-Disposition"]
    with read_archive(response, tmp_path) as archive:
        core = archive.descriptor.core
        assert core.type == "http://rs.tdwg.org/dwc/terms/Occurrence" and core.id_index == 0
        assert len(core.fields) == len(DWC_TERMS)
        assert {field["term"] for field in core.fields} <= set(TERMS)  # every term is a Darwin Core term
        rows = list(archive)
        assert len(rows) == 28 + 19
        assert all(row.id == row.data[qn("occurrenceID")] for row in rows)
        bee = next(row.data for row in rows if row.data[qn("scientificName")] == "Bombus terrestris")
        assert bee[qn("occurrenceStatus")] == "present" and bee[qn("kingdom")] == "Animalia"
        assert bee[qn("taxonRank")] == "species" and bee[qn("geodeticDatum")] == "EPSG:4326"
        assert bee[qn("basisOfRecord")] == "HumanObservation" and bee[qn("dataGeneralizations")] == ""
        newt = next(row.data for row in rows if row.data[qn("scientificName")] == "Triturus cristatus")
        assert newt[qn("scientificNameID")] == "urn:lsid:taxref.mnhn.fr:taxa:444432"
        # Protected: published at its grid cell's centre, exactly as in the CSV export.
        assert Decimal(newt[qn("decimalLatitude")]) == grid_centre(Decimal("47.39"))
        assert newt[qn("dataGeneralizations")].startswith("Coordonnées floutées")
        assert {row.data[qn("kingdom")] for row in rows} >= {"Animalia", "Plantae"}

        eml = archive.metadata
        assert eml.tag == EML
        assert eml.findtext("dataset/title") == "Mare des Tilleuls"
        assert eml.findtext("dataset/abstract/para") == "Amphibiens et pollinisateurs autour de la mare."
        assert eml.findtext("dataset/contact/electronicMailAddress") == "biodiversitheque@example.org"
        assert eml.find("dataset/intellectualRights/para/ulink").get("url").startswith(
            "http://creativecommons.org/licenses/by/4.0")
        assert eml.findtext("dataset/alternateIdentifier") == "http://testserver" + published.url
        box = eml.find("dataset/coverage/geographicCoverage/boundingCoordinates")
        latitudes = [Decimal(row.data[qn("decimalLatitude")]) for row in rows]
        assert Decimal(box.findtext("southBoundingCoordinate")) == min(latitudes)
        assert Decimal(box.findtext("northBoundingCoordinate")) == max(latitudes)
        dates = sorted(Observation.objects.filter(inventory=published).values_list("observed_on", flat=True))
        temporal = eml.find("dataset/coverage/temporalCoverage/rangeOfDates")
        assert temporal.findtext("beginDate/calendarDate") == dates[0].isoformat()
        assert temporal.findtext("endDate/calendarDate") == dates[-1].isoformat()
        assert datetime.date.fromisoformat(eml.findtext("dataset/pubDate"))


def test_town_archive_has_published_public_inventories_in_bounded_queries(
    client, published, resource_index, sample, tmp_path, django_assert_max_num_queries
):
    second = InventoryPageFactory(parent=resource_index, title="Oiseaux nicheurs", slug="oiseaux-nicheurs")
    second.save_revision().publish()
    import_observations(second, sample("geonature.csv"))
    draft = InventoryPageFactory(parent=resource_index, title="Brouillon", live=False)
    import_observations(draft, sample("darwin-core.csv"))
    private = InventoryPageFactory(parent=resource_index, title="Réservé")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    import_observations(private, sample("darwin-core.csv"))

    # Queries do not grow with the rows: page lookup, settings, inventories, observations, coverage.
    with django_assert_max_num_queries(15):
        response = client.get("/donnees/darwin-core.zip")
    with read_archive(response, tmp_path) as archive:
        assert len(list(archive)) == 28 + 19 + 48
        assert {row.data[qn("datasetName")] for row in archive} == {"Mare des Tilleuls", "Oiseaux nicheurs"}
        assert archive.metadata.findtext("dataset/coverage/geographicCoverage/geographicDescription") \
            == "Saint-Cyr-sur-Loire"


def test_unknown_or_non_inventory_pages_have_no_archive(client, published, resource_index):
    assert client.get("/nulle-part/darwin-core.zip").status_code == 404
    assert client.get(resource_index.url + "darwin-core.zip").status_code == 404
    assert client.get(published.url + "sinp.csv/").status_code == 404


@pytest.mark.parametrize(("name", "rank"), [
    ("Bombus terrestris", "species"), ("Bombus", "genus"), ("Bombus sp.", "genus"),
    ("Parus major major", "subspecies"), ("Centaurea jacea var. angustifolia", "variety"), ("", ""),
])
def test_rank_follows_the_name(name, rank):
    assert taxon_rank(name) == rank
