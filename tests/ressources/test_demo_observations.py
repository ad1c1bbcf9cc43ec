from demo import observations as demo_observations
from ressources.models import Observation
from tests.factories import InventoryPageFactory


def test_demo_imports_the_three_samples_once(resource_index):
    for slug in ("amphibiens-mare-des-tilleuls", "abc-oiseaux-nicheurs", "pollinisateurs-jardins-partages"):
        InventoryPageFactory(parent=resource_index, slug=slug)
    messages = []

    demo_observations.load(messages.append)
    count = Observation.objects.count()
    demo_observations.load(messages.append)

    assert count == 19 + 48 + 28
    assert Observation.objects.count() == count
    assert set(Observation.objects.values_list("source", flat=True)) == {"darwin-core", "geonature", "inaturalist"}


def test_demo_skips_missing_inventories(db):
    messages = []
    demo_observations.load(messages.append)

    assert len(messages) == 3 and all("absent" in message for message in messages)
    assert not Observation.objects.exists()
