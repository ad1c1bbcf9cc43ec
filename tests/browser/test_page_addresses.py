"""Wagtail's slug field, in a real browser, turns an accented title into an ASCII address."""

import pytest

from biodiversitheque.models import StandardPage
from tests.browser.test_flows import admin_login, click_action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_accented_title_gets_an_ascii_address(live_server, page, shot, home_page, django_user_model):
    django_user_model.objects.create_superuser("bibliothecaire", "b@example.org", "mot-de-passe-solide")
    admin_login(page, live_server, "bibliothecaire", "mot-de-passe-solide")
    page.goto(live_server.url + f"/admin/pages/add/biodiversitheque/standardpage/{home_page.pk}/")
    page.locator("#id_title").fill("Poser un gîte à chauves-souris")
    page.wait_for_function("document.querySelector('#id_slug').value !== ''")
    assert page.locator("#id_slug").input_value() == "poser-un-gite-a-chauves-souris"
    shot("slug")
    click_action(page, 'button[name="action-publish"]')
    created = StandardPage.objects.get(title="Poser un gîte à chauves-souris")
    assert created.live and created.url == "/poser-un-gite-a-chauves-souris/"
