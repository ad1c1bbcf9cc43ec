"""Public side: association page (events, map with a text fallback, feed) and the directory map."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django.test import Client

from tests.factories import AssociationFactory, ThemeFactory


def test_association_page_has_map_address_feed_and_only_approved_events(directory_page, mares, make_event,
                                                                         django_assert_max_num_queries):
    mares.latitude, mares.longitude = Decimal("47.397200"), Decimal("0.689100")
    mares.address, mares.postal_code, mares.city = "Allée des Tilleuls", "37000", "Villeneuve-la-Verte"
    mares.save()
    make_event(mares, title="Balade publiée", slug="balade-publiee")
    make_event(mares, live=False, title="Brouillon pas encore validé", slug="brouillon")
    with django_assert_max_num_queries(30):
        html = Client().get("/associations/les-amis-des-mares/").content.decode()
    assert "Balade publiée" in html and "Brouillon pas encore validé" not in html
    assert "data-association-map" in html and "js/association-map.js" in html
    assert 'data-lat="47.397200"' in html
    assert "Allée des Tilleuls" in html  # the address stays readable without the map
    assert "/associations/les-amis-des-mares/agenda.ics" in html
    feed = Client().get("/associations/les-amis-des-mares/agenda.ics")
    assert feed.status_code == 200 and b"Balade publi" in feed.content and b"Brouillon" not in feed.content


def test_association_without_coordinates_has_no_map(directory_page, mares):
    html = Client().get("/associations/les-amis-des-mares/").content.decode()
    assert "data-association-map" not in html


@pytest.fixture
def many_associations(directory_page):
    """30 located associations, every other one on the « Haies » theme."""
    haies = ThemeFactory(name="Haies", slug="haies")
    for number in range(30):
        AssociationFactory(
            name=f"Association {number:02d}", latitude=Decimal("47.39"), longitude=Decimal("0.68"),
            city="Villeneuve-la-Verte" if number < 10 else "Tours", themes=[haies] if number % 2 else [],
        )
    return haies


def test_directory_is_paginated_in_french_with_filters_kept(many_associations):
    html = Client().get("/associations/").content.decode()
    assert html.count('class="card card--association"') == 24
    assert "Page 1 sur 2" in html and 'aria-label="Pagination"' in html
    assert 'href="?page=2" rel="next"' in html
    second = Client().get("/associations/", {"page": 2}).content.decode()
    assert second.count('class="card card--association"') == 6 and "Page 2 sur 2" in second
    assert "Association 29" in second and "Association 29" not in html
    filtered = Client().get("/associations/", {"city": "Tours"}).content.decode()
    assert filtered.count('class="card card--association"') == 20  # one page: no pagination
    assert "Page 1 sur" not in filtered
    # Filters stay in the pagination links.
    AssociationFactory.create_batch(10, city="Tours")
    filtered = Client().get("/associations/", {"city": "Tours"}).content.decode()
    assert 'href="?city=Tours&amp;page=2" rel="next"' in filtered


@pytest.mark.parametrize("page", ["0", "-3", "abc", "999", "2.5", "1" * 40])
def test_directory_bad_page_number_never_fails(many_associations, page):
    response = Client().get("/associations/", {"page": page})
    assert response.status_code == 200
    assert response.content.decode().count('class="card card--association"') in (24, 6)


def test_directory_html_does_not_grow_with_the_map(many_associations):
    html = Client().get("/associations/").content.decode()
    assert "data-lat=" not in html  # the map's points are not in the page
    assert 'data-url="/associations/carte.json"' in html
    filtered = Client().get("/associations/", {"theme": "haies", "page": 1}).content.decode()
    assert 'data-url="/associations/carte.json?theme=haies"' in filtered


def test_directory_map_json_has_every_filtered_association(many_associations, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):  # site, page route, restrictions, filters' choices, the points
        response = Client().get("/associations/carte.json")
    assert response.status_code == 200 and "max-age" in response["Cache-Control"]
    places = response.json()["places"]
    assert len(places) == 30  # every page of the list, not only the first 24
    assert places[0] == {"name": "Association 00", "url": "/associations/association-00/", "lat": 47.39, "lon": 0.68}
    haies = Client().get("/associations/carte.json", {"theme": "haies"}).json()["places"]
    assert len(haies) == 15 and all(int(place["name"][-2:]) % 2 for place in haies)
    assert len(Client().get("/associations/carte.json", {"theme": "inconnu"}).json()["places"]) == 30
    assert Client().get("/associations/association-00/carte.json").status_code == 404
    assert Client().post("/associations/carte.json").status_code == 405


def test_directory_queries_do_not_grow_with_associations(many_associations, django_assert_num_queries):
    client = Client()
    client.get("/associations/")
    with CaptureQueriesContext(connection) as few:
        client.get("/associations/", {"theme": "haies"})
    AssociationFactory.create_batch(40, themes=[many_associations])
    with django_assert_num_queries(len(few)):
        client.get("/associations/", {"theme": "haies"})
