"""/donnees/catalogue.jsonld on the demo: DCAT-AP read back by rdflib, and every registered download answers."""

import pytest
from django.test import override_settings
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from biodiversitheque.core.models import SiteSettings
from biodiversitheque.core.opendata import datasets

# rdflib's JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")]

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
BASE = "https://biodiversite.villeneuve.example.fr"
LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
# DCAT-AP: mandatory, then recommended properties that the catalogue promises for each dataset.
DATASET_PROPERTIES = [DCTERMS.title, DCTERMS.description, DCTERMS.identifier, DCTERMS.publisher, DCTERMS.license,
                      DCTERMS.modified, DCAT.keyword, DCAT.contactPoint, DCAT.landingPage, DCAT.distribution]
DISTRIBUTION_PROPERTIES = [DCAT.accessURL, DCAT.downloadURL, DCAT.mediaType, DCTERMS["format"], DCTERMS.license]
EXPECTED_KEYS = {"associations", "permis-de-vegetaliser", "appels-a-projets", "appels-a-projets-laureats",
                 "equipements", "prets"}


@pytest.fixture
def graph(demo, client):
    with override_settings(BASE_URL=BASE):
        response = client.get("/donnees/catalogue.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return Graph().parse(data=response.content, format="json-ld")


def test_the_catalogue_is_a_dcat_catalog_with_its_publisher(graph):
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == [URIRef(f"{BASE}/donnees/catalogue.jsonld")]
    catalog = catalogs[0]
    assert graph.value(catalog, DCTERMS.title) and graph.value(catalog, DCTERMS.description)
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert graph.value(publisher, FOAF.name) == Literal("Commune de Villeneuve-la-Verte", lang="fr")
    assert set(graph.objects(catalog, DCAT.dataset)) == set(graph.subjects(RDF.type, DCAT.Dataset))


def test_every_dataset_has_the_dcat_ap_properties(graph):
    found = list(graph.subjects(RDF.type, DCAT.Dataset))
    keys = {str(graph.value(dataset, DCTERMS.identifier)).rpartition("#")[2] for dataset in found}
    assert keys >= EXPECTED_KEYS
    assert len(found) == len([dataset for dataset in datasets() if dataset.distributions])
    for dataset in found:
        missing = [str(prop) for prop in DATASET_PROPERTIES if graph.value(dataset, prop) is None]
        assert missing == [], dataset
        assert graph.value(dataset, DCTERMS.license) == LICENCE
        assert graph.value(dataset, DCTERMS.modified).datatype.endswith("dateTime")
        contact = graph.value(dataset, DCAT.contactPoint)
        assert graph.value(contact, VCARD.fn)
        assert str(graph.value(contact, VCARD.hasEmail)).startswith("mailto:biodiversitheque@")
        assert str(graph.value(dataset, DCAT.landingPage)).startswith(BASE + "/")
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            missing = [str(prop) for prop in DISTRIBUTION_PROPERTIES if graph.value(distribution, prop) is None]
            assert missing == [], distribution
            assert str(graph.value(distribution, DCAT.downloadURL)).startswith(BASE + "/")
            assert str(graph.value(distribution, DCAT.mediaType)).startswith("http://www.iana.org/assignments/")


def test_schemas_are_named_where_a_national_format_is_followed(graph):
    by_key = {str(graph.value(item, DCTERMS.identifier)).rpartition("#")[2]: item
              for item in graph.subjects(RDF.type, DCAT.Dataset)}
    assert graph.value(by_key["equipements"], DCTERMS.conformsTo) == URIRef(
        "https://schema.data.gouv.fr/scdl/equipements/")
    assert graph.value(by_key["appels-a-projets-laureats"], DCTERMS.conformsTo) == URIRef(
        "https://schema.data.gouv.fr/scdl/subventions/")


def test_every_registered_download_answers(demo, client):
    """Every distribution of every app's datasets (whichever apps register them) downloads on the demo."""
    found = [(dataset.key, distribution.path) for dataset in datasets() for distribution in dataset.distributions]
    assert {key for key, _path in found} >= EXPECTED_KEYS
    failures = []
    for key, path in found:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != 200 or not body:
            failures.append((key, path, response.status_code))
    assert failures == []


def test_licence_comes_from_the_site_settings(demo, client):
    SiteSettings.objects.update(open_data_licence="https://opendatacommons.org/licenses/odbl/1-0/")
    response = client.get("/donnees/catalogue.jsonld")
    graph = Graph().parse(data=response.content, format="json-ld")
    licences = set(graph.objects(None, DCTERMS.license))
    assert licences == {URIRef("https://opendatacommons.org/licenses/odbl/1-0/")}
