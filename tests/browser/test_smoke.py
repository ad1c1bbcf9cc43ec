import pytest

# Seeded rows are put back by the browser conftest (seeded_database), not by a serialized rollback: its
# reload would clash with the content types that an earlier test's flush re-created with new ids.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_in_chromium(live_server, page, shot, axe, home_page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("skip-link")
    shot("accueil", doc="accueil")
    assert axe() == []
