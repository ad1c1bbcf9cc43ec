import pytest

# serialized_rollback: the flush after a live-server test must not wipe what migrations seeded (root page,
# locale, collections, themes) for the tests that follow.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_page_in_chromium(live_server, page, shot, axe, home_page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("skip-link")
    shot("accueil", doc="accueil")
    assert axe() == []
