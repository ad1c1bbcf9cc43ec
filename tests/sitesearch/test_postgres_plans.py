"""PostgreSQL: the ids beyond the count cap are read by the plan the vocabulary's counts call for, same results."""

import pytest
from django.db import connection

from biodiversitheque.search.backends import postgres
from biodiversitheque.search.backends.base import DatabaseBackend
from tests.factories import GuidePageFactory


@pytest.fixture
def twenty_thousand(monkeypatch):
    monkeypatch.setattr(postgres, "document_estimate", lambda: 20000.0)


@pytest.mark.parametrize(
    ("counts", "any_term", "walks"),
    [
        ([13395], False, True),  # "jardin" in two thirds of the guides: 1,001 matches within 1,500 rows
        ([4259], False, False),  # a fifth: the walk would read 4,700 rows
        ([11762, 4259], False, False),  # "haie champêtre": each common, together in an eighth
        ([13395, 11762], False, True),  # two very common words: still dense together
        ([4259, 3000], True, True),  # either word: the union is dense
        ([4259, None], False, True),  # a count unknown: the planner's own choice
    ],
)
def test_the_walk_is_chosen_only_when_most_documents_match(twenty_thousand, counts, any_term, walks):
    assert postgres.PostgresBackend().walks(counts, any_term, 1001) is walks


def test_an_unknown_number_of_documents_leaves_the_plan_to_the_planner(monkeypatch):
    monkeypatch.setattr(postgres, "document_estimate", lambda: 0.0)
    assert postgres.PostgresBackend().walks([10], False, 1001) is True


@pytest.mark.postgresql
def test_two_words_beyond_the_cap_read_by_the_bitmap_give_the_walk_s_results(
    client, resource_index, monkeypatch, django_assert_num_queries
):
    for number in range(6):
        GuidePageFactory(parent=resource_index, title=f"Haie numéro {number}", live=False,
                         summary="Une haie au bord de la mare." if number % 2 else "Une haie.").save_revision().publish()
    monkeypatch.setattr(DatabaseBackend, "COUNT_CAP", 2)
    monkeypatch.setattr(postgres, "document_estimate", lambda: 1_000_000.0)  # sparse: the bitmap

    def ask():
        response = client.get("/api/recherche/", {"q": "haie mare"})
        assert response.status_code == 200
        return response.json()

    ask()  # synonyms, labels and promotions cached
    # vocabulary, ids (one statement with its planner settings), titles, rows, facets
    with django_assert_num_queries(5) as queries:
        by_bitmap = ask()
    assert sum("enable_seqscan" in query["sql"] for query in queries.captured_queries) == 1
    monkeypatch.setattr(postgres.PostgresBackend, "walks", lambda self, *args: True)
    with django_assert_num_queries(5) as queries:
        by_walk = ask()
    assert not any("enable_seqscan" in query["sql"] for query in queries.captured_queries)
    assert by_bitmap == by_walk
    assert (by_bitmap["count"], by_bitmap["count_exact"]) == (2, False)
    # The settings ended with their statement, although the test's transaction goes on.
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
