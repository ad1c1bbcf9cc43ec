import io
import os
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction

SEARCH_URL = os.environ.get("SEARCH_URL", "")
NODE_STOPPED = bool(os.environ.get("SEARCH_NODE_STOPPED"))  # `make test-search` stopped the node on purpose


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The real demo content (load_demo), indexed from scratch; once per module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        # Snippet saves are indexed after commit, which never comes in this rolled-back transaction.
        call_command("rebuild_search_index", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def corpus(home_page, resource_index, django_capture_on_commit_callbacks):
    """A tiny controlled corpus (tests that need to know every document), indexed through the signals."""
    from .corpus import load_corpus

    with django_capture_on_commit_callbacks(execute=True):
        created = load_corpus(home_page, resource_index)
    return created


@pytest.fixture
def rebuilt_corpus(corpus):
    call_command("rebuild_search_index", stdout=io.StringIO())
    return corpus


# -- On a search node (SEARCH_URL): the same tests, with the node's copy kept equal to the database's.


@pytest.fixture(scope="session", autouse=True)
def search_node_session():
    """Index names unique to this session; the session's indexes are dropped at the end."""
    if not SEARCH_URL or NODE_STOPPED:
        yield
        return
    from django.conf import settings

    from biodiversitheque.search.backends.elasticsearch import Transport

    try:
        transport = Transport(SEARCH_URL)
    except OSError as error:
        pytest.exit(f"Nœud de recherche injoignable sur {SEARCH_URL} ({error}) : lancez `make search-node`.", 1)
    settings.SEARCH_INDEX = f"test-{uuid.uuid4().hex[:12]}"
    yield
    transport.client.indices.delete(index=f"{settings.SEARCH_INDEX}-*", ignore_unavailable=True)


@pytest.fixture(autouse=True)
def search_node_in_step(request):
    """Each test's rolled-back database is the truth: the node starts from what it holds."""
    if not SEARCH_URL or NODE_STOPPED or "db" not in request.fixturenames and "demo_content" not in request.fixturenames:
        yield
        return
    from biodiversitheque.search.backends import get_backend

    if "demo_content" in request.fixturenames:
        request.getfixturevalue("demo_content")
    request.getfixturevalue("db")
    get_backend().rebuild(progress=lambda message: None)  # a new index, swapped in: none of the last test's rows
    yield


@pytest.fixture(autouse=True)
def _no_pending_statistics():
    """Searches counted by another test must not be written into this one's database."""
    from biodiversitheque.search import statistics

    statistics.discard()
    yield
    statistics.discard()
