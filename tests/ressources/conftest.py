from pathlib import Path

import pytest

from tests.factories import InventoryPageFactory

SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "data" / "ressources" / "observations"


@pytest.fixture
def inventory(resource_index):
    return InventoryPageFactory(parent=resource_index, title="Mare des Tilleuls", slug="mare-des-tilleuls")


@pytest.fixture
def sample():
    def read(name):
        return (SAMPLES / name).read_bytes()

    return read
