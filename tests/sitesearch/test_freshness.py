"""Drafts, unpublished, deleted, moved and private pages leave the results at once; snippets follow their saves."""

from pathlib import Path

import pytest
from wagtail.models import PageViewRestriction

from biodiversitheque.search.backends import get_backend
from biodiversitheque.search.models import SearchDocument, SearchTerm
from ressources.models import Taxon
from ressources.observations import import_observations
from tests.factories import AssociationFactory, GuidePageFactory, InventoryPageFactory, ObservationFactory, ThemeFactory

SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "data" / "ressources" / "observations"


def titles(query, **filters):
    return [row["title"] for row in get_backend().search(query, filters).results]


@pytest.fixture
def guide(resource_index):
    page = GuidePageFactory(parent=resource_index, title="Faire une mare naturelle", live=False)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_published_page_is_found_and_drafts_are_not(guide, resource_index):
    assert titles("mares") == ["Faire une mare naturelle"]
    draft = GuidePageFactory(parent=resource_index, title="Une autre mare", live=False)
    draft.save_revision()
    assert titles("mares") == ["Faire une mare naturelle"]
    guide.title = "Faire une mare sauvage"
    guide.save_revision()  # a draft of a live page does not change what is shown
    assert titles("sauvage") == []


def test_unpublished_page_disappears(guide):
    guide.unpublish()
    assert titles("mares") == []
    assert not SearchDocument.objects.exists()
    assert not SearchTerm.objects.filter(term="mar").exists()


def test_deleted_page_disappears(guide):
    guide.delete()
    assert titles("mares") == []
    assert not SearchDocument.objects.exists()


def test_page_under_a_private_section_disappears_and_comes_back(guide, resource_index):
    restriction = PageViewRestriction.objects.create(page=resource_index, restriction_type="login")
    assert titles("mares") == []
    restriction.delete()
    assert titles("mares") == ["Faire une mare naturelle"]


def test_private_page_is_not_indexed_when_published(resource_index):
    page = GuidePageFactory(parent=resource_index, title="Haie secrète", live=False)
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    page.save_revision().publish()
    assert titles("haie") == []


def test_moved_page_gets_its_new_url_and_the_privacy_of_its_new_section(home_page):
    from biodiversitheque.core.models import StandardPage

    notice = home_page.add_child(instance=StandardPage(title="Déclaration d'accessibilité", slug="accessibilite"))
    notice.save_revision().publish()
    section = home_page.add_child(instance=StandardPage(title="Infos pratiques", slug="infos"))
    section.save_revision().publish()
    notice.refresh_from_db()
    notice.move(section, pos="last-child")
    assert get_backend().search("accessibilite").results[0]["url"] == "/infos/accessibilite/"
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert titles("accessibilite") == []


def test_theme_changes_update_facets(guide):
    theme = ThemeFactory(slug="mares-et-zones-humides", name="Mares")
    guide.themes.set([theme])
    guide.save_revision().publish()
    assert get_backend().search("mares").facets["theme"] == [("mares-et-zones-humides", 1)]
    assert titles("mares", theme="haies") == []


def test_association_is_indexed_after_commit_and_removed_on_delete(directory_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        association = AssociationFactory(name="SOS Hérissons du Val", slug="herissons-du-val")
    result = get_backend().search("herisson").results[0]
    assert (result["title"], result["url"]) == ("SOS Hérissons du Val", "/associations/herissons-du-val/")
    with django_capture_on_commit_callbacks(execute=True):
        association.name = "SOS Écureuils du Val"
        association.save()
    assert titles("herisson") == [] and titles("ecureuil") == ["SOS Écureuils du Val"]
    association.delete()
    assert titles("ecureuil") == []


def test_observations_added_later_make_the_species_findable(resource_index, django_capture_on_commit_callbacks):
    inventory = InventoryPageFactory(parent=resource_index, title="Inventaire du parc", live=False)
    inventory.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        taxon = Taxon.objects.create(scientific_name="Triturus cristatus", vernacular_name="Triton crêté",
                                     cd_nom=444432, group="amphibiens", is_protected=True)
    assert titles("triton") == []  # a taxon nobody observed is not a result
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            ObservationFactory(inventory=inventory, taxon=taxon, scientific_name="Triturus cristatus",
                               vernacular_name="Triton crêté", cd_nom=444432)
    assert titles("triton") == ["Triton crêté (Triturus cristatus)", "Inventaire du parc"]
    species = get_backend().search("Triturus").results[0]
    assert species["kind"] == "espece"
    assert species["url"] == taxon.get_url() and species["url"].endswith("/especes/444432/")
    assert species["summary"] == "Triton crêté (Triturus cristatus) : amphibien, espèce protégée, observée dans 1 inventaire."
    assert titles("amphibien") == ["Triton crêté (Triturus cristatus)"]
    inventory.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        inventory.unpublish()
    assert titles("triton") == []


def test_a_synonym_is_found_on_its_accepted_names_document(resource_index, django_capture_on_commit_callbacks):
    inventory = InventoryPageFactory(parent=resource_index, title="Inventaire du parc", live=False)
    inventory.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = Taxon.objects.create(scientific_name="Triturus cristatus", vernacular_name="Triton crêté",
                                        cd_nom=444432, cd_ref=444432, group="amphibiens")
        synonym = Taxon.objects.create(scientific_name="Molge cristata", cd_nom=139, cd_ref=444432,
                                       group="amphibiens")
    with django_capture_on_commit_callbacks(execute=True):
        ObservationFactory(inventory=inventory, taxon=synonym, scientific_name="Molge cristata", cd_nom=139)
    # The synonym's observation shows the accepted name, which its old name finds; no result of its own.
    assert titles("Molge") == ["Triton crêté (Triturus cristatus)", "Inventaire du parc"]
    assert SearchDocument.objects.filter(kind="espece").count() == 1
    assert get_backend().search("Molge").results[0]["url"] == accepted.get_url()


def test_an_import_indexes_each_species_once_after_the_commit(resource_index, django_capture_on_commit_callbacks):
    inventory = InventoryPageFactory(parent=resource_index, title="Mare des Tilleuls", live=False)
    inventory.save_revision().publish()
    data = (SAMPLES / "darwin-core.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = import_observations(inventory, data)
    assert report.created == 19
    assert SearchDocument.objects.filter(kind="espece").count() == 0  # nothing indexed row by row
    for callback in callbacks:
        callback()
    species = SearchDocument.objects.filter(kind="espece")
    assert species.count() == Taxon.objects.count() > 1
    assert titles("Triturus")[0] == "Triton crêté (Triturus cristatus)"
