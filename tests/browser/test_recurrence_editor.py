"""The repetition widget in a real Chromium: in its panel, in French, with the next dates listed."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.test_flows import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_previews_the_next_dates_of_a_weekly_rule(live_server, page, shot, small_site, django_user_model):
    django_user_model.objects.create_superuser("bibliothecaire", "b@example.org", "mot-de-passe-solide")
    admin_login(page, live_server, "bibliothecaire", "mot-de-passe-solide")
    page.goto(live_server.url + f"/admin/pages/add/ateliers/eventpage/{small_site.agenda.pk}/")
    first = timezone.localdate() + datetime.timedelta(days=10)
    page.evaluate(
        """value => { const field = document.querySelector('#id_first_date');
                      field.value = value; field.dispatchEvent(new Event('change', {bubbles: true})); }""",
        first.isoformat(),
    )
    page.locator("div.recurrence-widget .add-button").first.click()
    items = page.locator(".recurrence-preview-body li")
    items.nth(4).wait_for()
    assert items.count() == 5
    assert items.first.inner_text().endswith(", 10 h 00")
    widget = page.locator("div.recurrence-widget").first
    assert "Toutes les semaines" in widget.inner_text()
    assert "Tou(te)s" not in widget.inner_text()
    assert widget.evaluate("node => getComputedStyle(node).float") == "none"
    # Within its panel: the preview (next in the flow) starts below the widget.
    widget_box = widget.bounding_box()
    assert page.locator(".recurrence-preview").bounding_box()["y"] >= widget_box["y"] + widget_box["height"]
    shot("apercu-des-dates", doc="admin-apercu-des-dates")
