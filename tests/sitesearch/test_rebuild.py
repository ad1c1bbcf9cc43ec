"""Rebuilding the index: SQL queries independent of the number of pages, progress shown, same documents."""

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document

from biodiversitheque.search import services
from biodiversitheque.search.models import SearchDocument, SearchFacet
from ressources.models import GuideDocument
from tests.factories import AudienceFactory, GuidePageFactory, ThemeFactory


def add_guides(resource_index, numbers, theme, audience, document):
    for number in numbers:
        page = GuidePageFactory(parent=resource_index, title=f"Mare numéro {number}", themes=[theme], audiences=[audience])
        GuideDocument.objects.create(guide=page, document=document, title=f"Fiche {number}", sort_order=0)


def rebuild_queries():
    services.rebuild(progress=lambda message: None)  # warm the caches (site root paths, content types)
    with CaptureQueriesContext(connection) as context:
        services.rebuild(progress=lambda message: None)
    return len(context)


def test_rebuild_queries_do_not_grow_with_pages(resource_index):
    theme, audience = ThemeFactory(slug="mares", name="Mares"), AudienceFactory(slug="familles", name="Familles")
    document = Document.objects.create(title="Fiche", file=ContentFile(b"texte", name="fiche.txt"))
    add_guides(resource_index, range(4), theme, audience, document)
    few = rebuild_queries()
    add_guides(resource_index, range(4, 12), theme, audience, document)
    assert rebuild_queries() == few  # themes, audiences, documents and addresses: read once per batch

    guide = SearchDocument.objects.get(title="Mare numéro 7")
    assert guide.url == "/ressources/mare-numero-7/" and "Fiche 7" in guide.text
    assert set(SearchFacet.objects.filter(document=guide).values_list("facet", "value")) == {
        ("theme", "mares"), ("audience", "familles")
    }


def test_rebuild_shows_its_progress(resource_index):
    theme, audience = ThemeFactory(slug="mares", name="Mares"), AudienceFactory(slug="familles", name="Familles")
    document = Document.objects.create(title="Fiche", file=ContentFile(b"texte", name="fiche.txt"))
    add_guides(resource_index, range(5), theme, audience, document)
    messages = []
    assert services.rebuild(progress=messages.append, batch_size=2) >= 5
    assert [m for m in messages if m.startswith("  guides")] == ["  guides citoyens : 2 / 5…", "  guides citoyens : 4 / 5…"]
    assert "guides citoyens : 5 document(s)" in messages


def test_rebuild_leaves_out_drafts_and_private_pages(resource_index):
    GuidePageFactory(parent=resource_index, title="Mare publiée")
    GuidePageFactory(parent=resource_index, title="Mare en brouillon", live=False)
    services.rebuild(progress=lambda message: None)
    assert SearchDocument.objects.filter(title__startswith="Mare").values_list("title", flat=True).get() == "Mare publiée"


def test_the_index_follows_changes_after_a_rebuild(client, resource_index):
    """On SQLite the rebuild fills the full-text tables without their triggers: both must be back."""
    GuidePageFactory(parent=resource_index, title="Mare ancienne", live=False).save_revision().publish()
    services.rebuild(progress=lambda message: None)
    services.rebuild(progress=lambda message: None)  # twice: the second empties what the first filled

    def titles(query):
        return [r["title"] for r in client.get("/api/recherche/", {"q": query}).json()["results"]]

    assert titles("mare") == ["Mare ancienne"]
    assert [r["title"] for r in client.get("/api/recherche/suggestions/", {"q": "anc"}).json()["results"]] == [
        "Mare ancienne"
    ]
    GuidePageFactory(parent=resource_index, title="Mare nouvelle", live=False).save_revision().publish()
    assert sorted(titles("mare")) == ["Mare ancienne", "Mare nouvelle"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sitesearch_fts")
            assert cursor.fetchone()[0] == SearchDocument.objects.count()
