import csv
import io
import re

import pytest

from ressources.darwincore import DWC_TERMS
from ressources.models import SpeciesIndexPage
from ressources.observations import import_observations


def rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def published(inventory, sample):
    inventory.observers = "Les Amis des Mares\nGroupe ornithologique du Val"
    inventory.save_revision().publish()
    import_observations(inventory, sample("inaturalist.csv"))
    import_observations(inventory, sample("darwin-core.csv"))
    return inventory


def test_inventory_export_has_standard_terms(client, published):
    response = client.get(published.url + "darwin-core/")

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    data = rows(response)
    assert list(data[0].keys()) == DWC_TERMS
    assert len(data) == 28 + 19
    bee = next(row for row in data if row["scientificName"] == "Bombus terrestris")
    assert bee["basisOfRecord"] == "HumanObservation"
    assert bee["occurrenceID"].startswith("https://www.inaturalist.org/observations/")
    assert bee["countryCode"] == "FR" and bee["license"].startswith("http://creativecommons.org/licenses/by/4.0")
    assert bee["decimalLatitude"].startswith("47.39") and bee["geodeticDatum"] == "EPSG:4326"
    assert bee["recordedBy"] == "Les Amis des Mares | Groupe ornithologique du Val"
    newt = next(row for row in data if row["scientificName"] == "Triturus cristatus")
    assert newt["taxonID"] == "https://taxref.mnhn.fr/api/taxa/444432"
    assert newt["occurrenceID"].startswith("urn:uuid:amphibiens-tilleuls")
    assert newt["vernacularName"] == "Triton crêté"


def test_town_export_only_has_published_inventories(client, published, resource_index, sample, home_page):
    from tests.factories import InventoryPageFactory

    draft = InventoryPageFactory(parent=resource_index, live=False)
    import_observations(draft, sample("geonature.csv"))
    species_index = SpeciesIndexPage.objects.get()

    data = rows(client.get(species_index.url + "darwin-core/"))

    assert len(data) == 28 + 19
    assert {row["datasetName"] for row in data} == {published.title}


def test_species_csv_with_filters(client, published):
    response = client.get(published.url + "especes-csv/?group=plantes")

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][:3] == ["Nom scientifique", "Nom vernaculaire", "cd_nom (TAXREF)"]
    assert {line[0] for line in lines[1:]} == {"Buddleja davidii", "Reynoutria japonica", "Centaurea jacea",
                                                "Origanum vulgare"}
    knotweed = next(line for line in lines if line[0] == "Reynoutria japonica")
    assert knotweed[6] == "oui"  # Exotique envahissante
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", line[9]) for line in lines[1:])  # Première observation


def test_imported_names_cannot_become_formulas_in_either_export(client, published):
    from ressources.models import Observation, Taxon

    Taxon.objects.filter(scientific_name="Bombus terrestris").update(vernacular_name="=1+2")
    Observation.objects.filter(scientific_name="Bombus terrestris").update(vernacular_name="@SUM(A1)", longitude=-1.5)

    species = b"".join(client.get(published.url + "especes-csv/").streaming_content).decode("utf-8-sig")
    bee = next(line for line in csv.reader(io.StringIO(species), delimiter=";") if line[0] == "Bombus terrestris")
    assert bee[1] == "'=1+2"
    data = rows(client.get(published.url + "darwin-core/"))
    bee = next(row for row in data if row["scientificName"] == "Bombus terrestris")
    assert bee["vernacularName"] == "'=1+2"  # the taxon's name wins over the row's
    # Still machine-readable: a negative longitude is a number, not a neutralised formula.
    assert bee["decimalLongitude"].startswith("-1.5") and bee["eventDate"][:4].isdigit()


def test_admin_observation_export_is_french_and_neutralised(client, published, django_user_model):
    from ressources.models import Observation

    Observation.objects.filter(scientific_name="Bombus terrestris").update(vernacular_name="-Bourdon+")
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "x"))

    response = client.get("/admin/snippets/ressources/observation/", {"export": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8")
    lines = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert text.startswith("\ufeff") and lines[0][:3] == ["Identifiant de l'observation", "Nom scientifique",
                                                           "Nom vernaculaire"]
    bee = next(line for line in lines if line[1] == "Bombus terrestris")
    assert bee[2] == "'-Bourdon+"
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", bee[5]) and re.fullmatch(r"47,39\d*", bee[7])
    assert bee[10] in ("oui", "non")
