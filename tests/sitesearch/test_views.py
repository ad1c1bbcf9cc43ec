"""The search page, the JSON API and autocomplete: results, facets, bad input, query counts, logging."""

import os

import pytest
from django.db import DatabaseError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from biodiversitheque.search import services, statistics
from biodiversitheque.search.models import UnmatchedQuery
from tests.factories import GuidePageFactory, ThemeFactory


@pytest.fixture
def guides(resource_index):
    mares = ThemeFactory(slug="mares-et-zones-humides", name="Mares et zones humides")
    haies = ThemeFactory(slug="haies", name="Haies")
    pages = []
    for title, theme, summary in [
        ("Faire une mare naturelle", mares, "Creuser une mare sans bâche pour les tritons."),
        ("Planter une haie champêtre", haies, "Des arbustes locaux pour les oiseaux, près de la mare."),
        ("Accueillir le hérisson au jardin", haies, "Un passage dans la clôture <b>et</b> un tas de feuilles."),
    ]:
        page = GuidePageFactory(parent=resource_index, title=title, summary=summary, live=False, themes=[theme])
        page.save_revision().publish()
        pages.append(page)
    return pages


def api(client, **params):
    response = client.get("/api/recherche/", params)
    assert response.status_code == 200
    return response.json()


def test_api_returns_results_best_first_with_type_and_highlight(client, guides):
    data = api(client, q="mares")
    assert data["count"] == 2
    first = data["results"][0]
    assert first == {
        "title": "Faire une mare naturelle",
        "url": "/ressources/faire-une-mare-naturelle/",
        "type": "guide",
        "type_label": "Guide citoyen",
        "summary": "Creuser une mare sans bâche pour les tritons.",
        "highlight": "Creuser une <mark>mare</mark> sans bâche pour les tritons.",
    }
    assert data["facets"]["theme"] == [{"value": "haies", "count": 1}, {"value": "mares-et-zones-humides", "count": 1}]


def test_api_filters_by_facet_and_ignores_unknown_values(client, guides):
    assert [r["title"] for r in api(client, q="mare", theme="haies")["results"]] == ["Planter une haie champêtre"]
    assert api(client, q="mare", theme="inconnu", type="nimporte")["count"] == 2


def test_typo_is_corrected_and_said(client, guides):
    data = api(client, q="herison")
    assert data["suggestion"] == "hérisson" and data["corrected"] is True
    assert data["results"][0]["title"] == "Accueillir le hérisson au jardin"


def test_search_page_shows_results_facets_and_escaped_highlights(client, guides):
    response = client.get("/recherche/", {"q": "jardin"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Accueillir le hérisson au <mark>jardin</mark>" in html
    assert "&lt;b&gt;et&lt;/b&gt;" in html  # summary text is escaped, only <mark> is markup
    assert "Haies (1)" in html and 'href="?q=jardin&amp;theme=haies"' in html


def test_search_page_without_query_and_without_results(client, guides):
    assert "Saisissez un ou plusieurs mots" in client.get("/recherche/").content.decode()
    html = client.get("/recherche/", {"q": "dromadaire"}).content.decode()
    assert "Aucun résultat pour « dromadaire »" in html
    statistics.flush()
    assert UnmatchedQuery.objects.get().query_string == "dromadaire"
    client.get("/recherche/", {"q": "Dromadaire"})
    statistics.flush()
    row = UnmatchedQuery.objects.get()
    assert row.hits == 2 and row.last_seen >= row.first_seen


def test_searches_are_counted_for_the_popular_searches_report(client, guides):
    client.get("/recherche/", {"q": "mares"})
    api(client, q="mares")
    client.get("/api/recherche/suggestions/", {"q": "mar"})  # autocomplete is not a search
    assert statistics.pending() == 2
    assert statistics.flush() == 2
    assert Query.get("mares").hits == 2 and not UnmatchedQuery.objects.exists()


def test_a_search_request_writes_nothing(client, guides, django_assert_max_num_queries):
    api(client, q="mares")  # synonyms cached from now on
    with django_assert_max_num_queries(4) as plain:  # vocabulary, matches with their scores, rows, facets
        api(client, q="mares")
    # + near spellings (PostgreSQL: one trigram look-up per unknown word), then the corrected search
    with django_assert_max_num_queries(9) as misspelled:
        assert api(client, q="dromadaire herison")["corrected"] is True
    for query in [*plain.captured_queries, *misspelled.captured_queries]:
        assert query["sql"].lstrip().upper().startswith(("SELECT", "WITH")), query["sql"]
    assert not Query.objects.exists() and not UnmatchedQuery.objects.exists()
    assert statistics.pending() == 3


def test_statistics_are_written_after_the_response_once_a_batch_is_full(client, guides, settings):
    settings.SEARCH_LOG_BATCH = 3
    api(client, q="mares")
    api(client, q="licorne")
    assert not Query.objects.exists() and statistics.pending() == 2
    api(client, q="Mares")  # completes the batch: written when this request ends
    assert statistics.pending() == 0
    assert Query.get("mares").hits == 2 and Query.get("licorne").hits == 1
    assert list(UnmatchedQuery.objects.values_list("query_string", "hits")) == [("licorne", 1)]
    api(client, q="licorne")
    assert statistics.pending() == 1 and UnmatchedQuery.objects.get().hits == 1


def test_statistics_are_written_once_the_oldest_is_old_enough(client, guides, settings):
    settings.SEARCH_LOG_SECONDS = 0
    api(client, q="mares")
    assert statistics.pending() == 0 and Query.get("mares").hits == 1


def test_nothing_is_lost_when_a_flush_fails(client, guides, settings, monkeypatch):
    settings.SEARCH_LOG_BATCH = 2
    api(client, q="licorne")

    def broken(rows):
        raise DatabaseError("base indisponible")

    monkeypatch.setattr(statistics, "save_rows", broken)
    assert api(client, q="mares")["count"] >= 1  # the failed write is never the resident's problem
    assert statistics.pending() == 2
    with pytest.raises(DatabaseError):
        statistics.flush()
    assert statistics.pending() == 2
    monkeypatch.undo()
    assert statistics.flush() == 2
    assert Query.get("mares").hits == 1 and UnmatchedQuery.objects.get().query_string == "licorne"


def test_statistics_write_is_one_transaction(guides, monkeypatch):
    statistics.record("licorne", 0)
    statistics.record("mares", 3)

    def fail_on_unmatched(*args, **kwargs):
        raise DatabaseError("écriture refusée")

    monkeypatch.setattr(UnmatchedQuery.objects, "get_or_create", fail_on_unmatched)
    with pytest.raises(DatabaseError):
        statistics.flush()
    assert not Query.objects.exists()  # the popular searches written before the failure are rolled back
    assert statistics.pending() == 2


def test_unmatched_report_shows_searches_not_yet_written(admin_client, client, guides):
    api(client, q="dromadaire")
    assert not UnmatchedQuery.objects.exists()
    assert "dromadaire" in admin_client.get("/admin/rapports/recherches-sans-resultat/").content.decode()
    assert UnmatchedQuery.objects.get().hits == 1


def test_promoted_results_are_cached_until_a_promotion_changes(client, guides, django_assert_max_num_queries):
    promotion = SearchPromotion.objects.create(
        query=Query.get("mares"), external_link_url="https://example.org/mares", external_link_text="Fiche régionale"
    )
    assert services.promotions("mares")[0]["title"] == "Fiche régionale"
    with django_assert_max_num_queries(0):
        services.promotions("Mares")
    promotion.external_link_text = "Fiche du département"
    promotion.save()
    assert services.promotions("mares")[0]["title"] == "Fiche du département"
    promotion.delete()
    assert services.promotions("mares") == []


def test_promoted_results_come_first(client, guides):
    SearchPromotion.objects.create(
        query=Query.get("mares"), external_link_url="https://example.org/mares", external_link_text="Fiche régionale"
    )
    html = client.get("/recherche/", {"q": "mares"}).content.decode()
    assert html.index("Fiche régionale") < html.index("/ressources/faire-une-mare-naturelle/")


def test_page_out_of_range_shows_the_last_page(client, guides):
    data = api(client, q="mare", page="999", per_page="1")
    assert (data["page"], data["num_pages"], len(data["results"])) == (2, 2, 1)
    assert client.get("/recherche/", {"q": "mare", "page": "abc"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    ["", " ", "le la les", "x" * 1000, '"', "*", "mare NEAR haie", "(mare", 'mare" OR 1=1 --', "'; DROP TABLE x; --",
     "title_norm: mare", "mare*", "^mare", "\x00", "%", "_", "{mare}", "a:b", "&|!", "mare & !haie"],
)
def test_bad_input_never_fails(client, guides, query):
    assert client.get("/recherche/", {"q": query}).status_code == 200
    assert api(client, q=query)["count"] >= 0
    assert client.get("/api/recherche/suggestions/", {"q": query}).status_code == 200


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=120))
def test_any_text_is_a_valid_query(client, guides, query):
    assert client.get("/api/recherche/", {"q": query.replace("\x00", "")}).status_code == 200
    assert client.get("/api/recherche/suggestions/", {"q": query.replace("\x00", "")}).status_code == 200


def test_autocomplete_suggests_titles_by_prefix(client, guides):
    data = client.get("/api/recherche/suggestions/", {"q": "héri"}).json()
    assert data["results"] == [
        {"title": "Accueillir le hérisson au jardin", "url": "/ressources/accueillir-le-herisson-au-jardin/", "type": "guide"}
    ]
    assert client.get("/api/recherche/suggestions/", {"q": "h"}).json()["results"] == []


def test_api_query_count_does_not_grow_with_results(
    client, guides, resource_index, django_assert_num_queries, django_assert_max_num_queries
):
    api(client, q="mare")  # warm caches (content types, Query rows)
    with django_assert_max_num_queries(10) as first:  # 7 on a search node: it matches, the base fetches less
        api(client, q="mare")
    for number in range(6):
        GuidePageFactory(parent=resource_index, title=f"Mare numéro {number}", live=False).save_revision().publish()
    with django_assert_num_queries(len(first.captured_queries)):
        assert api(client, q="mare")["count"] == 8


def test_search_page_query_count_is_bounded(client, guides, django_assert_max_num_queries):
    client.get("/recherche/", {"q": "mare"})
    with django_assert_max_num_queries(18):
        client.get("/recherche/", {"q": "mare", "theme": "haies"})


@pytest.mark.skipif(bool(os.environ.get("SEARCH_URL")), reason="plafond de comptage des moteurs en base seulement")
def test_beyond_the_count_cap_titles_come_first_and_the_count_says_more(client, guides, resource_index, monkeypatch):
    from biodiversitheque.search.backends.base import DatabaseBackend

    for number in range(2):
        GuidePageFactory(parent=resource_index, title=f"Guide {number}", summary="Au bord de la mare.",
                         live=False).save_revision().publish()
    monkeypatch.setattr(DatabaseBackend, "COUNT_CAP", 2)
    data = api(client, q="mare")
    assert (data["count"], data["count_exact"]) == (2, False)
    # The title match first although older, then the most recently indexed matches.
    assert [r["title"] for r in data["results"]] == ["Faire une mare naturelle", "Guide 1"]
    assert sum(option["count"] for option in data["facets"]["type"]) == 2  # counted over the first 2 matches
    page = client.get("/recherche/", {"q": "mare"}).content.decode()
    assert "Plus de 2 résultats" in page
    monkeypatch.setattr(DatabaseBackend, "COUNT_CAP", 10)
    assert api(client, q="mare")["count_exact"] is True


@pytest.mark.skipif(bool(os.environ.get("SEARCH_URL")), reason="requêtes des moteurs en base seulement")
def test_a_misspelled_word_costs_five_queries(client, guides, django_assert_num_queries):
    api(client, q="herison")  # synonyms and labels cached
    # vocabulary, near spellings, corrected matches with their scores, rows, facets: the misspelled word
    # itself is in no document, so it is not searched
    with django_assert_num_queries(5):
        assert api(client, q="herison")["results"][0]["title"] == "Accueillir le hérisson au jardin"


@pytest.mark.skipif(bool(os.environ.get("SEARCH_URL")), reason="plafond de comptage des moteurs en base seulement")
def test_a_word_beyond_the_count_cap_is_not_scored_twice(client, guides, monkeypatch, django_assert_num_queries):
    from biodiversitheque.search.backends.base import DatabaseBackend

    monkeypatch.setattr(DatabaseBackend, "COUNT_CAP", 1)
    api(client, q="mare")
    # vocabulary (its frequency says "more than the cap"), unscored ids, titles, rows, facets
    with django_assert_num_queries(5) as queries:
        data = api(client, q="mare")
    assert (data["count"], data["count_exact"]) == (1, False)
    assert data["results"][0]["title"] == "Faire une mare naturelle"
    assert sum("bm25" in query["sql"] or "ts_rank" in query["sql"] for query in queries.captured_queries) == 1
