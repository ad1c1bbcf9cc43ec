"""The node stopped for real (`make test-search` stops it, then runs this file): the database answers."""

import logging
import os
import socket
from urllib.parse import urlsplit

import pytest

from biodiversitheque.search.backends import get_backend
from tests.factories import GuidePageFactory

pytestmark = pytest.mark.skipif(
    not os.environ.get("SEARCH_NODE_STOPPED"), reason="exécuté par `make test-search` après l'arrêt du nœud"
)


def test_search_falls_back_to_the_database_when_the_node_is_stopped(client, resource_index, caplog):
    address = urlsplit(os.environ["SEARCH_URL"])
    with pytest.raises(OSError):  # really stopped
        socket.create_connection((address.hostname, address.port), 2).close()
    assert get_backend().name == "elasticsearch"
    with caplog.at_level(logging.WARNING):
        page = GuidePageFactory(parent=resource_index, title="Faire une mare naturelle", live=False)
        page.save_revision().publish()  # publishing does not fail
        data = client.get("/api/recherche/", {"q": "mares"}).json()
        suggestions = client.get("/api/recherche/suggestions/", {"q": "mar"})
    assert [row["title"] for row in data["results"]] == ["Faire une mare naturelle"]
    assert "injoignable" in caplog.text
    assert suggestions.status_code == 200 and "Faire une mare naturelle" in suggestions.content.decode()
