"""Public side: association page (events, map with a text fallback, feed) and the directory map."""

from decimal import Decimal

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


def test_directory_map_lists_every_filtered_association(directory_page, django_assert_max_num_queries):
    haies = ThemeFactory(name="Haies", slug="haies")
    for number in range(25):
        AssociationFactory(
            name=f"Association {number:02d}", latitude=Decimal("47.39"), longitude=Decimal("0.68"),
            themes=[haies] if number % 2 else [],
        )
    with django_assert_max_num_queries(25):
        html = Client().get("/associations/").content.decode()
    # 20 cards per page, but the map (and its list) has all 25.
    assert html.count("data-lat=") == 25
    html = Client().get("/associations/", {"theme": "haies"}).content.decode()
    assert html.count("data-lat=") == 12
    assert 'href="/associations/association-01/"' in html
