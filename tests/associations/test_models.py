"""Association directory: page-type rules, filters, pagination, association pages, query counts."""

import re

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils import WagtailPageTestCase

from associations.models import ASSOCIATIONS_PER_PAGE, AssociationIndexPage
from biodiversitheque.portal.models import HomePage
from tests.factories import AssociationFactory, InventoryPageFactory, ThemeFactory
from tests.html_checks import accessibility_problems


class PageTypeRulesTests(WagtailPageTestCase):
    def test_directory_lives_under_home_and_has_no_children(self):
        self.assertAllowedParentPageTypes(AssociationIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(AssociationIndexPage, set())


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def names_in(html):
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a></h3>', html)


@pytest.fixture
def associations(directory_page):
    wetlands = ThemeFactory(name="Mares et zones humides", slug="mares-et-zones-humides")
    hedges = ThemeFactory(name="Haies", slug="haies")
    return [
        AssociationFactory(name="Les Amis des Mares", city="Villeneuve-la-Verte", themes=[wetlands]),
        AssociationFactory(name="Haies Vives du Val", city="Villeneuve-la-Verte", themes=[hedges]),
        AssociationFactory(name="Groupe ornithologique du Val", city="Saint-Martin-du-Val", themes=[hedges]),
    ]


def test_directory_lists_associations_with_links(client, associations):
    html = html_of(client, "/associations/")
    assert names_in(html) == ["Groupe ornithologique du Val", "Haies Vives du Val", "Les Amis des Mares"]
    assert 'href="/associations/les-amis-des-mares/"' in html
    assert "3 résultats" in html and "Saint-Martin-du-Val" in html
    assert accessibility_problems(html) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=haies", ["Groupe ornithologique du Val", "Haies Vives du Val"]),
        ("city=Saint-Martin-du-Val", ["Groupe ornithologique du Val"]),
        ("theme=haies&city=Villeneuve-la-Verte", ["Haies Vives du Val"]),
    ],
)
def test_directory_filters_by_theme_and_commune(client, associations, query, expected):
    assert names_in(html_of(client, f"/associations/?{query}")) == expected


def test_directory_ignores_unknown_filters_and_shows_empty_state(client, associations):
    html = html_of(client, "/associations/?theme=licornes&city=Atlantide")
    assert len(names_in(html)) == 3
    assert "Certains filtres n’ont pas été reconnus" in html

    html = html_of(client, "/associations/?theme=mares-et-zones-humides&city=Saint-Martin-du-Val")
    assert names_in(html) == []
    assert "Aucune association ne correspond à ces filtres." in html
    assert '<a href="/associations/">Effacer les filtres</a>' in html


def test_empty_directory(client, directory_page):
    html = html_of(client, "/associations/")
    assert "L’annuaire ne contient encore aucune association." in html


def test_directory_pagination_never_fails(client, directory_page):
    for number in range(ASSOCIATIONS_PER_PAGE + 2):
        AssociationFactory(name=f"Association {number:02d}")
    assert len(names_in(html_of(client, "/associations/"))) == ASSOCIATIONS_PER_PAGE
    last = [f"Association {ASSOCIATIONS_PER_PAGE}", f"Association {ASSOCIATIONS_PER_PAGE + 1}"]
    assert names_in(html_of(client, "/associations/?page=2")) == last
    assert names_in(html_of(client, "/associations/?page=50")) == last
    assert len(names_in(html_of(client, "/associations/?page=deux"))) == ASSOCIATIONS_PER_PAGE


def test_association_page_shows_contacts_themes_and_inventories(client, directory_page, resource_index):
    association = AssociationFactory(
        name="Les Amis des Mares",
        summary="Restaurer les mares de la commune.",
        description="<p>Depuis 1998, sorties nocturnes et chantiers.</p>",
        email="contact@amis-des-mares.fr",
        phone="06 12 34 56 78",
        website="https://amis-des-mares.example.org",
        address="12 chemin de la Mare",
        postal_code="37000",
        city="Villeneuve-la-Verte",
        themes=[ThemeFactory(name="Mares et zones humides", slug="mares-et-zones-humides")],
        logo=wagtail_factories.ImageFactory(),
    )
    InventoryPageFactory(parent=resource_index, title="Les amphibiens du parc", association=association)
    InventoryPageFactory(parent=resource_index, title="Inventaire brouillon", association=association, live=False)

    html = html_of(client, "/associations/les-amis-des-mares/")

    assert "<h1>Les Amis des Mares</h1>" in html
    assert "<title>Les Amis des Mares — " in html
    assert "Restaurer les mares" in html and "Depuis 1998" in html
    assert 'href="mailto:contact@amis-des-mares.fr"' in html
    assert 'href="tel:0612345678"' in html
    assert 'href="https://amis-des-mares.example.org"' in html
    assert "12 chemin de la Mare<br>37000 Villeneuve-la-Verte" in html
    assert 'alt="Logo de Les Amis des Mares"' in html
    assert 'href="/associations/?theme=mares-et-zones-humides"' in html
    assert "Les amphibiens du parc" in html and "Inventaire brouillon" not in html
    assert '<li aria-current="page">Les Amis des Mares</li>' in html
    assert accessibility_problems(html) == []


def test_unknown_association_is_a_404(client, directory_page):
    html = html_of(client, "/associations/n-existe-pas/", status=404)
    assert "Page introuvable" in html


def test_directory_queries_do_not_grow_with_content(client, directory_page, django_assert_num_queries):
    themes = [ThemeFactory(name="Haies", slug="haies"), ThemeFactory(name="Eau", slug="eau")]

    def add(count):
        for _ in range(count):
            AssociationFactory(themes=themes, logo=wagtail_factories.ImageFactory())

    add(3)
    url = "/associations/?theme=haies"
    client.get(url)  # creates the logo renditions and warms the caches
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(url).status_code == 200
    expected = len(baseline)  # read now: later requests reset the connection's query log
    add(17)
    client.get(url)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
