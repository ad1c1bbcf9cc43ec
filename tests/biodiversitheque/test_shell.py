"""The page shell (menu, footer, town name) is read from the cache and follows publications and settings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from biodiversitheque.core.models import SiteSettings, StandardPage


@pytest.fixture
def plain_page(home_page):
    page = StandardPage(title="À propos", slug="a-propos", show_in_menus=True)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_shell_costs_no_query_once_cached(client, plain_page):
    client.get(plain_page.url)
    with CaptureQueriesContext(connection) as first:
        client.get(plain_page.url)
    settings = SiteSettings.for_site(plain_page.get_site())
    settings.town_name = "Villeneuve-la-Verte"
    settings.save()
    client.get(plain_page.url)  # rebuilds the shell once
    with CaptureQueriesContext(connection) as again:
        response = client.get(plain_page.url)
    assert "Villeneuve-la-Verte" in response.content.decode()
    assert len(again) == len(first)
    shell_tables = [q["sql"] for q in again if "biodiversitheque_sitesettings" in q["sql"]]
    assert shell_tables == []


def test_menu_follows_publication_and_unpublication(client, plain_page, home_page):
    other = StandardPage(title="Nous trouver", slug="nous-trouver", show_in_menus=True, live=False)
    home_page.add_child(instance=other)
    assert "Nous trouver" not in client.get(plain_page.url).content.decode()  # draft: not in the menu
    other.save_revision().publish()
    assert 'href="/nous-trouver/"' in client.get(plain_page.url).content.decode()
    other.refresh_from_db()
    other.unpublish()
    assert 'href="/nous-trouver/"' not in client.get(plain_page.url).content.decode()


def test_footer_links_follow_the_site_settings(client, plain_page):
    settings = SiteSettings.for_site(plain_page.get_site())
    settings.legal_page = plain_page
    settings.save()
    body = client.get(plain_page.url).content.decode()
    assert f'href="{plain_page.url}">Mentions légales' in body


def test_shell_costs_at_most_four_queries_over_a_bare_wagtail_page(client, plain_page, home_page, settings,
                                                                   tmp_path):
    # What Wagtail costs alone: a plain Page, a one-line template, no shell.
    (tmp_path / "wagtailcore").mkdir()
    (tmp_path / "wagtailcore" / "page.html").write_text("<title>{{ page.title }}</title>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    bare = home_page.add_child(instance=Page(title="Page nue", slug="page-nue"))
    counts = {}
    for url in (bare.url, plain_page.url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    assert counts[plain_page.url] - counts[bare.url] <= 4


def test_home_section_links_come_from_the_cached_shell(client, home_page):
    """A section of a page type not yet in the menu costs no query on the home page once the shell is cached
    (the links used to be read with one query per page type)."""
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    section = StandardPage(title="Nous trouver", slug="nous-trouver", show_in_menus=True,
                           summary="Horaires et accès de la biodiversithèque.")
    home_page.add_child(instance=section)
    client.get("/")  # the new page invalidates the shell: rebuilt once
    with CaptureQueriesContext(connection) as after:
        html = client.get("/").content.decode()
    assert 'href="/nous-trouver/"><strong>Nous trouver</strong><span>Horaires et accès' in html
    assert len(after) == len(before)
