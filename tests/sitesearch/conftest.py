import pytest
from django.core.management import call_command


@pytest.fixture
def corpus(home_page, resource_index, django_capture_on_commit_callbacks):
    """The demo content, indexed. Swap for call_command("load_demo") once it exists."""
    from .corpus import load_corpus

    with django_capture_on_commit_callbacks(execute=True):
        created = load_corpus(home_page, resource_index)
    return created


@pytest.fixture
def rebuilt_corpus(corpus):
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    return corpus
