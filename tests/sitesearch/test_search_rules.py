"""Go-live search rules: synonyms, evidence-based correction, events by kind/place/organiser, site settings."""

import pytest
from django.core.exceptions import ValidationError

from biodiversitheque.search.backends import get_backend
from biodiversitheque.search.backends.base import SearchResults, beats
from biodiversitheque.search.models import Synonym
from biodiversitheque.search.synonyms import expand, synonym_map
from biodiversitheque.search.text import query_terms
from tests.factories import AssociationFactory, EventPageFactory, GuidePageFactory


def titles(query, **kwargs):
    return [row["title"] for row in get_backend().search(query, per_page=20, **kwargs).results]


# -- synonyms


def test_default_french_synonyms_are_shipped(db):
    shipped = set(Synonym.objects.values_list("words", flat=True))
    assert {"tondre, tonte, tondeuse", "invasive, envahissante", "phyto, phytosanitaire, pesticide"} <= shipped


@pytest.mark.parametrize("words", ["tondre", "tondre, tondre", "le, la", "tondre, zéro phyto"])
def test_a_synonym_needs_two_different_single_words(db, words):
    with pytest.raises(ValidationError) as error:
        Synonym(words=words).full_clean()
    assert "words" in error.value.message_dict


def test_synonym_words_are_tidied(db):
    synonym = Synonym(words=" mare ,étang,, ")
    synonym.full_clean()
    assert synonym.words == "mare, étang"


def test_synonym_map_is_cached_and_dropped_on_save_and_delete(db, django_assert_num_queries):
    Synonym.objects.all().delete()
    synonym_map()
    with django_assert_num_queries(0):
        assert synonym_map() == {}
    synonym = Synonym.objects.create(words="mare, étang")
    assert dict(synonym_map()["mar"]) == {"mar": "mare", "etang": "étang"}
    synonym.is_active = False
    synonym.save()
    assert synonym_map() == {}
    synonym.delete()
    Synonym.objects.create(words="haie, bocage")
    assert expand(query_terms("haies")) == [(("hai", "haies"), ("bocag", "bocage"))]


def test_synonyms_find_each_other(rebuilt_corpus):
    # "invasive" is in no text: the synonym "envahissante" finds the guide.
    assert "Reconnaître et gérer les plantes exotiques envahissantes" in titles("invasive")
    Synonym.objects.filter(words="invasive, envahissante").delete()
    assert "Reconnaître et gérer les plantes exotiques envahissantes" not in titles("invasive")


def test_a_synonym_added_in_the_admin_applies_at_once(rebuilt_corpus, admin_client):
    assert titles("etang") == []
    response = admin_client.post("/admin/snippets/sitesearch/synonym/add/", {"words": "mare, étang", "is_active": "on"})
    assert response.status_code == 302
    assert "Faire une mare naturelle" in titles("étang")


def test_admin_lists_filters_and_searches_synonyms(db, admin_client):
    listing = admin_client.get("/admin/snippets/sitesearch/synonym/", {"q": "tondre", "is_active": "true"})
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "tondre, tonte, tondeuse" in html and "invasive, envahissante" not in html


def test_admin_refuses_a_synonym_of_one_word_in_french(db, admin_client):
    response = admin_client.post("/admin/snippets/sitesearch/synonym/add/", {"words": "tondre", "is_active": "on"})
    assert response.status_code == 200
    assert "Indiquez au moins deux mots différents" in response.content.decode()
    assert not Synonym.objects.filter(words="tondre").exists()


def test_elasticsearch_request_matches_any_synonym_of_each_word():
    from biodiversitheque.search.backends.elasticsearch import build_search

    body = build_search([["zero"], ["phyto", "pesticid"]], "zero phyto pesticide").to_dict()
    terms = body["query"]["function_score"]["query"]["bool"]["must"][0]["bool"]["must"]
    assert [clause["multi_match"]["query"] for clause in terms] == ["zero", "phyto pesticid"]
    assert {clause["multi_match"]["operator"] for clause in terms} == {"or"}
    plain = build_search([["mar"], ["naturel"]]).to_dict()["query"]["function_score"]["query"]["bool"]["must"][0]
    assert (plain["multi_match"]["query"], plain["multi_match"]["operator"]) == ("mar naturel", "and")


# -- corrections


def test_derived_words_find_their_root(rebuilt_corpus):
    assert "Composter ses déchets de cuisine et de jardin" in titles("compostage")
    assert "Composter ses déchets de cuisine et de jardin" in titles("lombricompost")


def test_a_long_word_two_edits_away_is_corrected(rebuilt_corpus):
    results = get_backend().search("herrison")
    assert results.corrected and results.suggestion == "hérisson"
    # The guide among the first (PostgreSQL may rank the hedgehog association first: both are right).
    assert "Accueillir le hérisson au jardin" in [row["title"] for row in results.results[:3]]


def test_zero_phyto_is_searched_as_typed_with_its_synonyms(rebuilt_corpus):
    results = get_backend().search("zéro phyto")
    assert not results.corrected and results.suggestion == ""
    assert [row["title"] for row in results.results] == ["Gestion différenciée des espaces verts"]


def test_a_correction_must_beat_the_original_clearly():
    def found(count, all_terms=True):
        return SearchResults(count=count, all_terms=all_terms)

    assert beats(found(1), found(0))
    assert beats(found(2), found(9, all_terms=False))  # every word found beats some words found
    assert beats(found(9), found(3))
    assert not beats(found(8), found(3))
    assert not beats(found(0), found(0))
    assert not beats(found(5, all_terms=False), found(1))


def test_unknown_word_with_a_near_word_is_not_rewritten_when_it_finds_as_much(rebuilt_corpus):
    # "photos" is one letter from "photo" (indexed here), but the query as typed finds as much.
    GuidePageFactory(parent=rebuilt_corpus["Faire une mare naturelle"].get_parent(), title="Photo de mare",
                     live=False).save_revision().publish()
    results = get_backend().search("mare photos")
    assert not results.corrected and results.suggestion == ""


def test_page_says_the_correction_and_links_to_the_query_as_typed(client, rebuilt_corpus):
    html = client.get("/recherche/", {"q": "herrison"}).content.decode()
    assert "Résultats pour « <strong>hérisson</strong> »" in html
    assert 'Rechercher plutôt « <a href="?q=herrison&amp;exact=1">herrison</a> »' in html
    exact = client.get("/recherche/", {"q": "herrison", "exact": "1"}).content.decode()
    assert "Rechercher plutôt" not in exact and "Aucun résultat pour « herrison »" in exact
    data = client.get("/api/recherche/", {"q": "herrison"}).json()
    assert (data["corrected"], data["suggestion"], data["original_query"]) == (True, "hérisson", "herrison")


# -- what is indexed


@pytest.fixture
def agenda(home_page):
    from ateliers.models import AgendaPage

    page = AgendaPage(title="Agenda", slug="agenda")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_events_are_found_by_kind_place_and_organiser(agenda, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        herons = AssociationFactory(name="Les Hérons cendrés")
    event = EventPageFactory(parent=agenda, title="Sortie du matin", summary="Deux heures dehors.", kind="balade",
                             place_name="Étang de la Motte", organiser=herons, live=False)
    event.save_revision().publish()
    assert titles("balade") == ["Sortie du matin"]
    assert titles("etang motte") == ["Sortie du matin"]
    assert titles("herons cendres") == ["Les Hérons cendrés", "Sortie du matin"]
    with django_capture_on_commit_callbacks(execute=True):
        herons.name = "Les Aigrettes"
        herons.save()
    assert titles("aigrettes") == ["Les Aigrettes", "Sortie du matin"]


def test_opening_hours_and_address_are_searchable(home_page, django_capture_on_commit_callbacks):
    from wagtail.models import Site

    from biodiversitheque.core.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(root_page=home_page))
    with django_capture_on_commit_callbacks(execute=True):
        site_settings.address = "La Grange aux Savoirs\n4 rue des Tilleuls"
        site_settings.opening_hours = "Mardi et jeudi : 14 h – 18 h"
        site_settings.save()
    found = get_backend().search("horaires").results
    assert [(row["title"], row["url"]) for row in found] == [("Horaires d'ouverture et adresse de la biodiversithèque", "/")]
    assert titles("rue des tilleuls mardi") == ["Horaires d'ouverture et adresse de la biodiversithèque"]
