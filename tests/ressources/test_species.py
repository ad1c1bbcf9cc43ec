import pytest
from django.urls import reverse

from ressources.models import SpeciesIndexPage, Taxon
from ressources.observations import import_observations
from tests.factories import GuidePageFactory, InventoryPageFactory, ThemeFactory


@pytest.fixture
def species_index(home_page):
    return SpeciesIndexPage.objects.get()


@pytest.fixture
def observed(inventory, sample, species_index):
    inventory.save_revision().publish()
    import_observations(inventory, sample("darwin-core.csv"))
    import_observations(inventory, sample("inaturalist.csv"))
    return inventory


def test_site_structure_creates_the_species_index(species_index, home_page):
    assert species_index.slug == "especes" and species_index.get_parent().pk == home_page.pk


def test_index_lists_and_filters_taxa(client, observed, species_index):
    response = client.get(species_index.url)
    assert response.status_code == 200
    assert response.context["facets"]["total"] == 21
    assert "Triton crêté" in response.content.decode()

    amphibians = client.get(species_index.url + "?group=amphibiens").context["page_obj"]
    assert {taxon.group for taxon in amphibians} == {"amphibiens"} and len(amphibians) == 7
    invasive = client.get(species_index.url + "?status=envahissant").context["page_obj"]
    assert {taxon.scientific_name for taxon in invasive} == {"Buddleja davidii", "Reynoutria japonica"}
    by_name = client.get(species_index.url + "?q=bourdon").context["page_obj"]
    assert [taxon.scientific_name for taxon in by_name] == ["Bombus terrestris"]
    bad = client.get(species_index.url + "?group=dragons&page=zzz")
    assert bad.status_code == 200


def test_species_page_by_cd_nom_and_by_slug(client, observed, species_index):
    theme = ThemeFactory(name="Mares et zones humides", slug="mares-et-zones-humides")
    guide = GuidePageFactory(parent=observed.get_parent(), title="Faire une mare naturelle", themes=[theme])
    guide.save_revision().publish()

    response = client.get(species_index.url + "444432/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Triton crêté" in html and "Triturus cristatus" in html and "Espèce protégée" in html
    assert response.context["taxon"].observation_count == 3
    assert response.context["taxon"].first_year == 2025
    assert observed.title in html and "Faire une mare naturelle" in html

    bee = Taxon.objects.get(scientific_name="Bombus terrestris")
    assert bee.cd_nom is None
    assert client.get(species_index.url + f"{bee.slug}/").status_code == 200
    assert bee.get_url() == species_index.url + "bombus-terrestris/"


def test_unknown_or_unpublished_species_is_404(client, species_index, resource_index, sample):
    assert client.get(species_index.url + "999999/").status_code == 404
    draft = InventoryPageFactory(parent=resource_index, live=False)
    import_observations(draft, sample("geonature.csv"))
    assert client.get(species_index.url + "4001/").status_code == 404


def test_taxon_is_searchable_by_both_names(observed):
    assert list(Taxon.objects.filter(pk__in=[t.pk for t in Taxon.objects.search("Triton crêté")]).values_list(
        "scientific_name", flat=True)) == ["Triturus cristatus"]
    assert "Triturus cristatus" in [t.scientific_name for t in Taxon.objects.search("Triturus")]


def test_query_counts_do_not_grow_with_species(client, observed, species_index, sample,
                                               django_assert_max_num_queries):
    client.get(species_index.url)  # builds the page shell once; then read from the cache
    with django_assert_max_num_queries(14):
        client.get(species_index.url)
    with django_assert_max_num_queries(20):
        client.get(species_index.url + "444432/")
    import_observations(observed, sample("geonature.csv"))  # 12 more species
    with django_assert_max_num_queries(14):
        client.get(species_index.url)
    with django_assert_max_num_queries(20):
        client.get(species_index.url + "4001/")
