import pytest

from biodiversitheque.core import opendata as catalogue
from demo import observations as demo_observations
from ressources import opendata
from ressources.observations import import_observations
from tests.factories import InventoryPageFactory

DEMO_INVENTORIES = ("amphibiens-mare-des-tilleuls", "abc-oiseaux-nicheurs", "pollinisateurs-jardins-partages")


@pytest.fixture
def demo_inventories(resource_index):
    """The demo's three inventories, published, with the demo's observations (one file per import format)."""
    pages = []
    for slug in DEMO_INVENTORIES:
        page = InventoryPageFactory(parent=resource_index, slug=slug, title=slug.replace("-", " ").capitalize())
        page.save_revision().publish()
        pages.append(page)
    demo_observations.load(lambda message: None)
    return pages


def test_the_app_registers_its_datasets(demo_inventories):
    assert "ressources.opendata.datasets" in catalogue.PROVIDERS
    keys = {dataset.key for dataset in catalogue.datasets()}

    assert {"ressources-observations", *(f"ressources-inventaire-{slug}" for slug in DEMO_INVENTORIES)} <= keys


def test_every_distribution_answers_with_its_media_type(client, demo_inventories, resource_index, sample):
    draft = InventoryPageFactory(parent=resource_index, slug="brouillon", live=False)
    import_observations(draft, sample("darwin-core.csv"))

    datasets = {dataset.key: dataset for dataset in opendata.datasets()}

    assert "ressources-inventaire-brouillon" not in datasets and len(datasets) == 1 + 3
    town = datasets["ressources-observations"]
    assert [d.path for d in town.distributions] == ["/donnees/darwin-core.zip", "/especes/darwin-core/",
                                                    "/donnees/sinp.csv"]
    for page in demo_inventories:
        page.refresh_from_db()
        assert datasets[f"ressources-inventaire-{page.slug}"].modified == page.last_published_at
    assert town.modified == max(page.last_published_at for page in demo_inventories)
    for dataset in datasets.values():
        assert dataset.title and dataset.description and dataset.landing_path.startswith("/")
        for distribution in dataset.distributions:
            assert distribution.path.startswith("/") and "://" not in distribution.path
            response = client.get(distribution.path)
            assert response.status_code == 200, distribution.path
            assert response["Content-Type"].split(";")[0] == distribution.media_type, distribution.path
            assert b"".join(response.streaming_content), distribution.path
    assert {d.conforms_to for d in town.distributions} == {opendata.DWC_STANDARD_URL, opendata.DWCA_STANDARD_URL,
                                                           opendata.SINP_STANDARD_URL}


def test_no_published_observations_no_dataset(resource_index):
    InventoryPageFactory(parent=resource_index).save_revision().publish()

    assert opendata.datasets() == []
