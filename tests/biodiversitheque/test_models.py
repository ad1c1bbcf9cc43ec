"""Home and plain pages: page-type rules, rendering, error pages, accessibility structure, query counts."""

import pytest
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.db import connection
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from associations.models import AssociationIndexPage
from biodiversitheque.core.models import StandardPage
from biodiversitheque.portal.models import HomePage, HomePageFeaturedPage
from ressources.models import ResourceIndexPage
from tests.factories import GuidePageFactory, ThemeFactory, TrainingPageFactory
from tests.html_checks import accessibility_problems, count_tags


class PageTypeRulesTests(WagtailPageTestCase):
    def test_home_page_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_accepts_the_sections(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(HomePage, ResourceIndexPage)
        self.assertCanCreateAt(HomePage, AssociationIndexPage)

    def test_standard_page_nests_only_plain_pages(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})


@pytest.fixture
def standard_page(home_page):
    page = StandardPage(
        title="Déclaration d’accessibilité",
        slug="accessibilite",
        summary="Ce que nous faisons pour rendre le portail accessible.",
        body=[("paragraph", "<p>Le portail est partiellement conforme au RGAA.</p>")],
    )
    home_page.add_child(instance=page)
    return page


def test_home_page_shows_presentation_sections_and_resources(client, home_page, resource_index):
    home_page.intro = "<p>Empruntez des guides et rencontrez les associations.</p>"
    home_page.save()
    featured = GuidePageFactory(parent=resource_index, title="Faire une mare naturelle")
    latest = TrainingPageFactory(parent=resource_index, title="Gestion différenciée des espaces verts")
    HomePageFeaturedPage.objects.create(home=home_page, page=featured)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Empruntez des guides" in html
    assert "À la une" in html and "Dernières ressources" in html
    assert "Faire une mare naturelle" in html and "Gestion différenciée des espaces verts" in html
    # The sections in the menu (resources, directory) are linked, and so is the full resources list.
    assert 'href="/ressources/"' in html and 'href="/associations/"' in html
    assert "Toutes les ressources" in html
    assert accessibility_problems(html) == []


def test_home_page_links_the_agenda_only_when_it_exists(client, home_page):
    html = client.get("/").content.decode()
    assert "/agenda/" not in html
    agenda = StandardPage(title="Agenda", slug="agenda", show_in_menus=True)
    home_page.add_child(instance=agenda)
    html = client.get("/").content.decode()
    assert 'href="/agenda/"' in html


def test_home_page_without_resources_shows_an_empty_state(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert "Aucune ressource n’est encore publiée" in response.content.decode()


def test_home_page_queries_do_not_grow_with_content(client, home_page, resource_index, django_assert_num_queries):
    themes = [ThemeFactory(name="Haies"), ThemeFactory(name="Oiseaux")]

    def add(count):
        for _ in range(count):
            page = GuidePageFactory(parent=resource_index, themes=themes)
            HomePageFeaturedPage.objects.create(home=home_page, page=page)

    add(3)
    client.get("/")  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get("/").status_code == 200
    expected = len(baseline)  # read now: later requests reset the connection's query log
    add(27)
    client.get("/")  # new pages invalidate the page shell: rebuilt once
    with django_assert_num_queries(expected):
        assert client.get("/").status_code == 200


def test_standard_page_renders_its_body(client, standard_page):
    response = client.get("/accessibilite/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Déclaration d’accessibilité" in html
    assert "partiellement conforme au RGAA" in html
    assert 'aria-label="Fil d’Ariane"' in html
    assert accessibility_problems(html) == []


def test_unknown_page_gives_a_french_404(client, home_page):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert accessibility_problems(html) == []


def test_500_page_needs_no_database_nor_context():
    # No db fixture: any query would raise, and render_to_string runs no context processor.
    html = render_to_string("500.html")
    assert '<html lang="fr">' in html
    assert "Le site rencontre un problème" in html
    assert count_tags(html, "h1") == 1
