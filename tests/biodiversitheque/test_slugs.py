"""Page addresses: ASCII slugs from accented titles, and a redirect from the old address after a rename."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from biodiversitheque.core.models import StandardPage

TITLE = "Poser un gîte à chauves-souris"


@pytest.fixture
def admin_client(client, home_page):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "motdepasse")
    client.force_login(user)
    return client


def page_form(title, slug, publish=False):
    data = nested_form_data({"title": title, "slug": slug, "summary": "", "body": streamfield([])})
    if publish:
        data["action-publish"] = "action-publish"
    return data


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("biodiversitheque", "standardpage", parent.pk))


def test_admin_slug_field_slugifies_titles_to_ascii(admin_client, home_page):
    # Wagtail's slug field fills itself from the title in the browser.
    # Its Stimulus controller keeps accents only when this attribute is present.
    response = admin_client.get(add_url(home_page))
    assert 'id="id_slug"' in response.content.decode()
    assert "data-w-slug-allow-unicode-value" not in response.content.decode()


def test_admin_refuses_a_typed_accented_slug_and_saves_nothing(admin_client, home_page):
    response = admin_client.post(add_url(home_page), page_form(TITLE, "poser-un-gîte", publish=True))
    assert response.status_code == 200
    assert "sans accent" in response.context["form"].errors["slug"][0]
    assert not StandardPage.objects.filter(title=TITLE).exists()


def test_a_page_saved_without_slug_gets_an_ascii_one(home_page):
    page = StandardPage(title=TITLE)
    home_page.add_child(instance=page)
    assert page.slug == "poser-un-gite-a-chauves-souris"


def test_the_old_address_redirects_after_a_slug_change_in_the_admin(
    admin_client, home_page, django_capture_on_commit_callbacks
):
    page = StandardPage(title="Gîtes", slug="gites")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    # Wagtail creates the redirect once the rename is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailadmin_pages:edit", args=(page.pk,)),
            page_form("Gîtes à chauves-souris", "gites-a-chauves-souris", publish=True),
        )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.url == "/gites-a-chauves-souris/"
    old = admin_client.get("/gites/")
    assert old.status_code == 301
    assert old["Location"].endswith("/gites-a-chauves-souris/")
    assert admin_client.get(old["Location"]).status_code == 200
