"""The « Données ouvertes » page: where it may live, and what it tells people."""

import html
import re

import pytest

from biodiversitheque.core.opendata import datasets
from biodiversitheque.portal.models import HomePage, OpenDataPage
from biodiversitheque.portal.search_documents import OpenDataPageProvider
from tests.html_checks import accessibility_problems, count_tags

pytestmark = pytest.mark.django_db


def link_text(page_html, href):
    match = re.search(rf'<a href="{re.escape(href)}">(.*?)</a>', page_html, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match[1])).split()) if match else None


def test_only_one_page_under_the_home_page_and_nothing_below():
    assert OpenDataPage.allowed_parent_page_models() == [HomePage]
    assert OpenDataPage.allowed_subpage_models() == []
    assert OpenDataPage.max_count == 1


def test_the_page_lists_every_dataset_with_its_downloads(demo, client):
    page = OpenDataPage.objects.live().get()
    response = client.get(page.url)
    assert response.status_code == 200
    text = response.content.decode()
    assert accessibility_problems(text) == []
    listed = [dataset for dataset in datasets() if dataset.distributions]
    assert count_tags(text, "li", class_="open-dataset") == len(listed) >= 6
    headings = [html.unescape(item) for item in re.findall(r"<h3>(.*?)</h3>", text)]
    assert sorted(headings) == sorted(str(dataset.title) for dataset in listed)
    for dataset in listed:
        for distribution in dataset.distributions:
            # The link text names the format, not only « télécharger ».
            assert f"format {distribution.format}" in link_text(text, distribution.path), distribution.path
    assert "DCAT" in link_text(text, "/donnees/catalogue.jsonld")
    assert link_text(text, "https://www.etalab.gouv.fr/licence-ouverte-open-licence/").startswith("Licence Ouverte")
    assert count_tags(text, "time") >= len(listed) - 1


def test_the_footer_links_the_page(demo, client):
    page = OpenDataPage.objects.live().get()
    assert link_text(client.get("/").content.decode(), page.url) == "Données ouvertes"


def test_search_finds_the_page_by_its_datasets_names(demo):
    page = OpenDataPage.objects.live().get()
    [entry] = list(OpenDataPageProvider().entries(page))
    assert entry.url == page.url
    assert "Annuaire des associations" in entry.text and "Équipements" in entry.text
