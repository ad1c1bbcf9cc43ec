import io

import pytest
from django.core.management import call_command
from django.db import transaction


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


@pytest.fixture(autouse=True)
def fresh_synonyms():
    """The synonym map is cached outside the database, which each test rolls back."""
    from django.core.cache import cache

    from biodiversitheque.search.synonyms import CACHE_KEY

    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)
