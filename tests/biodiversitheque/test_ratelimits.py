"""Rate limits on public endpoints: a French 429 page once a client address exceeds its rate."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from ateliers.models import Registration
from tests.ateliers.conftest import agenda, event, make_event, occurrence  # noqa: F401 - fixtures

RATES = {
    "registration": "2/m",
    "cancellation": "2/m",
    "search_api": "2/m",
    "suggestions_api": "2/m",
    "agenda_api": "2/m",
}


@pytest.fixture(autouse=True)
def limits_on():
    cache.clear()
    with override_settings(RATELIMIT_ENABLE=True, RATELIMIT_RATES=RATES):
        yield
    cache.clear()


def assert_french_429(response):
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert response["Retry-After"] == "60"


@pytest.mark.parametrize("url", ["/api/recherche/?q=mare", "/api/recherche/suggestions/?q=ma", "/api/agenda/"])
def test_apis_are_limited(client, home_page, agenda, url):  # noqa: F811
    for _ in range(2):
        assert client.get(url).status_code == 200
    assert_french_429(client.get(url))
    # Another address keeps its own allowance.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_registration_posts_are_limited_but_reading_the_form_is_not(client, occurrence):  # noqa: F811
    url = occurrence.get_registration_url()
    for index in range(2):
        response = client.post(url, {"name": "Camille", "email": f"c{index}@example.org", "places": 1, "consent": "on"})
        assert response.status_code in (200, 302)
    response = client.post(url, {"name": "Camille", "email": "c9@example.org", "places": 1, "consent": "on"})
    assert_french_429(response)
    assert not Registration.objects.filter(email="c9@example.org").exists()
    assert client.get(url).status_code == 200


def test_personal_link_guessing_is_limited(client, agenda):  # noqa: F811
    url = agenda.url + "inscription/jeton-invente/"
    for _ in range(2):
        assert client.get(url).status_code == 404
    assert_french_429(client.get(url))
    assert_french_429(client.post(url, {"action": "cancel"}))


def test_limits_can_be_switched_off(client, home_page):
    with override_settings(RATELIMIT_ENABLE=False):
        for _ in range(5):
            assert client.get("/api/recherche/?q=mare").status_code == 200
