"""The core registry: providers as callables or dotted paths, datasets sorted by key."""

import datetime

import pytest
from wagtail.models import Site

from biodiversitheque.core import opendata
from biodiversitheque.core.models import SiteSettings
from biodiversitheque.core.opendata import Dataset, Distribution
from biodiversitheque.portal import dcat


def sample_provider():
    return [Dataset("b-second", "B", "", [Distribution("B", "/b.csv", "text/csv")]),
            Dataset("a-first", "A", "", [Distribution("A", "/a.json", "application/geo+json")])]


@pytest.fixture
def providers(monkeypatch):
    monkeypatch.setattr(opendata, "PROVIDERS", [])
    return opendata.PROVIDERS


def test_a_dotted_path_is_imported_when_the_catalogue_is_read(providers):
    opendata.register_datasets(f"{__name__}.sample_provider")
    opendata.register_datasets(f"{__name__}.sample_provider")
    assert len(providers) == 1
    assert [dataset.key for dataset in opendata.datasets()] == ["a-first", "b-second"]


def test_a_callable_still_registers(providers):
    opendata.register_datasets(sample_provider)
    assert len(opendata.datasets()) == 2


@pytest.mark.parametrize(("media_type", "name"), [
    ("text/csv", "CSV"), ("application/geo+json", "GeoJSON"), ("text/calendar; charset=utf-8", "iCalendar"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "OPENXMLFORMATS-OFFICEDOCUMENT.SPREADSHEETML.SHEET"),
])
def test_format_names(media_type, name):
    assert Distribution("x", "/x", media_type).format == name


def test_a_provider_may_date_its_dataset_with_a_plain_date(providers, db):
    opendata.register_datasets(lambda: [Dataset("dated", "D", "", [Distribution("D", "/d.csv", "text/csv")],
                                                modified=datetime.date(2026, 5, 1))])
    document = dcat.catalogue(SiteSettings.for_site(Site.objects.get(is_default_site=True)))
    assert document["dcat:dataset"][0]["dct:modified"] == {"@value": "2026-05-01", "@type": "xsd:date"}
    assert document["dct:modified"]["@value"] == "2026-05-01"
