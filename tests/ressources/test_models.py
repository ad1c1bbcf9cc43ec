"""Resource pages: page-type rules, rendering of guides, inventories and trainings, the filtered index."""

import datetime
import re

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils import WagtailPageTestCase

from biodiversitheque.portal.models import HomePage
from ressources.models import (
    RESOURCES_PER_PAGE,
    GuideDocument,
    GuidePage,
    InventoryPage,
    RelatedGuide,
    ResourceIndexPage,
    ResourcePage,
    TrainingPage,
)
from tests.factories import (
    AssociationFactory,
    AudienceFactory,
    GuidePageFactory,
    InventoryPageFactory,
    ObservationFactory,
    ThemeFactory,
    TrainingPageFactory,
)
from tests.html_checks import accessibility_problems, count_tags


class PageTypeRulesTests(WagtailPageTestCase):
    def test_resource_index_lives_under_home_and_holds_the_three_types(self):
        self.assertAllowedParentPageTypes(ResourceIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ResourceIndexPage, {GuidePage, InventoryPage, TrainingPage})

    def test_common_resource_table_is_not_creatable(self):
        self.assertCanNotCreateAt(ResourceIndexPage, ResourcePage)

    def test_each_resource_type_lives_only_in_the_index_and_has_no_children(self):
        for model in (GuidePage, InventoryPage, TrainingPage):
            self.assertAllowedParentPageTypes(model, {ResourceIndexPage})
            self.assertAllowedSubpageTypes(model, set())


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# ---------- Guide ----------


@pytest.fixture
def guide(resource_index):
    wetlands = ThemeFactory(name="Mares et zones humides", slug="mares-et-zones-humides")
    document = wagtail_factories.DocumentFactory(
        title="Fiche mare", file__filename="fiche-mare.pdf", file__data=b"x" * 2048
    )
    page = GuidePageFactory(
        parent=resource_index,
        title="Faire une mare naturelle",
        slug="faire-une-mare-naturelle",
        summary="Une mare accueille libellules et tritons.",
        difficulty="moyen",
        duration="Un week-end",
        season="D’octobre à mars",
        cost="moyen",
        themes=[wetlands],
        audiences=[AudienceFactory(name="Habitants", slug="habitants")],
    )
    page.materials = [("item", {"name": "Bêche", "quantity": "1"}), ("item", {"name": "Sable", "quantity": "2 sacs"})]
    page.body = [("paragraph", "<p>Choisissez un endroit ensoleillé.</p>")]
    page.steps = [
        ("step", {"title": "Choisir l’emplacement", "text": "<p>Cinq heures de soleil.</p>"}),
        ("step", {"title": "Creuser en paliers", "text": "<p>Des berges en pente douce.</p>"}),
        ("step", {"title": "Laisser la nature coloniser", "text": "<p>Plantez peu.</p>"}),
    ]
    page.town_rules = "<p>Une mare de moins de 10 m² ne demande aucune autorisation.</p>"
    page.town_procedures = [
        (
            "procedure",
            {
                "title": "Demander un conseil gratuit",
                "description": "<p>Un agent vient voir votre terrain.</p>",
                "contact": "Service espaces verts",
                "form_url": "https://www.service-public.fr/",
                "form_document": None,
            },
        )
    ]
    page.save()
    GuideDocument.objects.create(guide=page, document=document, title="Fiche pratique : faire une mare")
    return page


def test_guide_page_shows_every_part(client, guide, resource_index):
    other = GuidePageFactory(parent=resource_index, title="Planter une haie champêtre")
    RelatedGuide.objects.create(page=guide, guide=other)

    html = html_of(client, guide.url)

    assert "Guide citoyen" in html and "<h1>Faire une mare naturelle</h1>" in html
    # "En bref": difficulty, duration, season, cost, audience.
    for text in ("En bref", "Intermédiaire", "Un week-end", "D’octobre à mars", "De 20 à 100 €", "Habitants"):
        assert text in html, text
    assert "Matériel nécessaire" in html and "Bêche" in html and "2 sacs" in html
    assert "Choisissez un endroit ensoleillé." in html
    # Numbered steps in an ordered list.
    steps = re.search(r'<ol class="steps">(.*?)</ol>', html, re.S).group(1)
    assert count_tags(steps, "li", class_="step") == 3
    assert steps.index("Choisir l’emplacement") < steps.index("Laisser la nature coloniser")
    assert "Ce qui est permis" in html and "moins de 10 m²" in html
    assert "Démarches auprès de la commune" in html and "Service espaces verts" in html
    assert 'href="https://www.service-public.fr/"' in html
    # Downloadable document with its format and size.
    assert "Documents à télécharger" in html and "Fiche pratique : faire une mare" in html
    assert "(PDF, 2,0\xa0Kio)" in html
    assert "Guides liés" in html and "Planter une haie champêtre" in html
    # Theme tags link back to the filtered index.
    assert 'href="/ressources/?theme=mares-et-zones-humides"' in html
    assert accessibility_problems(html) == []


def test_bare_guide_still_renders(client, resource_index):
    page = GuidePageFactory(parent=resource_index, title="Guide minimal", duration="", summary="")
    html = html_of(client, page.url)
    assert "Guide minimal" in html and "Facile" in html
    assert "Étape par étape" not in html and "Documents à télécharger" not in html


# ---------- Inventory ----------


@pytest.fixture
def inventory(resource_index):
    association = AssociationFactory(name="Les Amis des Mares", slug="les-amis-des-mares")
    page = InventoryPageFactory(
        parent=resource_index,
        title="Les amphibiens de la mare du parc des Tilleuls",
        place="Parc des Tilleuls",
        period_start=datetime.date(2025, 2, 1),
        period_end=datetime.date(2025, 6, 30),
        observers="Claire Martin\nYves Dubois",
        protocol="<p>Trois passages nocturnes à la lampe.</p>",
        association=association,
    )
    amphibian = {"taxon_group": "amphibiens", "is_protected": True}
    for day in (3, 10):
        ObservationFactory(
            inventory=page, scientific_name="Triturus cristatus", vernacular_name="Triton crêté", cd_nom=444430,
            observed_on=datetime.date(2025, 3, day), **amphibian,
        )
    ObservationFactory(
        inventory=page, scientific_name="Bufo spinosus", vernacular_name="Crapaud épineux", cd_nom=459627,
        observed_on=datetime.date(2025, 4, 2), **amphibian,
    )
    ObservationFactory(
        inventory=page, scientific_name="Reynoutria japonica", vernacular_name="Renouée du Japon", cd_nom=121039,
        taxon_group="plantes", is_protected=False, is_invasive=True, observed_on=datetime.date(2025, 5, 20),
    )
    return page


def test_inventory_page_shows_facts_chart_and_species_table(client, inventory, directory_page):
    html = html_of(client, inventory.url)

    assert "Inventaire naturaliste" in html
    assert "du 1 février 2025 au 30 juin 2025" in html
    assert "Parc des Tilleuls" in html and "Claire Martin<br>Yves Dubois" in html
    assert "Trois passages nocturnes" in html
    assert '<a href="/associations/les-amis-des-mares/">Les Amis des Mares</a>' in html

    # Counts per group: a real table with visible numbers, richest group first, full bar for it.
    chart = re.search(r'<table class="table bar-chart">(.*?)</table>', html, re.S).group(1)
    assert "<caption" in chart and "par groupe taxonomique" in chart
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>', chart)
    assert rows == [("Amphibiens", "2", "3"), ("Plantes", "1", "1")]
    assert 'width="100"' in chart and 'width="50"' in chart

    # Species table: caption, column and row headers, italics, TAXREF id, badges, counts and dates.
    species = re.search(r'<table class="table table--compact">(.*?)</table>', html, re.S).group(1)
    assert "3 espèces observées" in species
    assert count_tags(species, "th", scope="col") == 8
    assert count_tags(species, "th", scope="row") == 3
    assert '<i lang="la">Triturus cristatus</i>' in species
    assert "Triton crêté" in species and ">444430</a>" in species
    assert 'badge--protected">Protégée' in species and 'badge--invasive">Exotique envahissante' in species
    triton_row = re.search(r"Triturus cristatus.*?</tr>", species, re.S).group(0)
    assert ">2</td>" in triton_row and "03/03/2025" in triton_row and "10/03/2025" in triton_row
    assert accessibility_problems(html) == []


def test_inventory_without_observations_says_so(client, resource_index):
    page = InventoryPageFactory(parent=resource_index, period_end=None)
    html = html_of(client, page.url)
    assert "Aucune observation n’a encore été saisie" in html
    assert "depuis le 1 mars 2025" in html


# ---------- Training ----------


def test_training_page_shows_objectives_audience_format_and_modules(client, resource_index):
    page = TrainingPageFactory(
        parent=resource_index,
        title="Gestion différenciée des espaces verts",
        objectives="<p>Adapter l’entretien à chaque espace.</p>",
        prerequisites="<p>Aucun prérequis.</p>",
        duration="2 jours (14 h)",
        training_format="mixte",
        audiences=[AudienceFactory(name="Agents", slug="agents")],
    )
    page.modules = [
        ("module", {"title": "Pourquoi gérer autrement", "duration": "3 h", "description": "<p>Enjeux.</p>"}),
        ("module", {"title": "Sur le terrain", "duration": "1 jour", "description": "<p>Visites.</p>"}),
    ]
    page.save()

    html = html_of(client, page.url)

    for text in ("Formation", "Objectifs", "Adapter l’entretien", "Agents", "2 jours (14 h)", "Mixte",
                 "Prérequis", "Aucun prérequis.", "Programme", "Pourquoi gérer autrement", "Sur le terrain"):
        assert text in html, text
    modules = re.search(r'<ol class="steps">(.*?)</ol>', html, re.S).group(1)
    assert count_tags(modules, "li", class_="step") == 2
    assert accessibility_problems(html) == []


# ---------- Index: filters, pagination, empty state, query count ----------


@pytest.fixture
def mixed_resources(resource_index):
    hedges = ThemeFactory(name="Haies", slug="haies")
    birds = ThemeFactory(name="Oiseaux", slug="oiseaux")
    elected = AudienceFactory(name="Élus", slug="elus")
    residents = AudienceFactory(name="Habitants", slug="habitants")
    return {
        "guide": GuidePageFactory(parent=resource_index, title="Planter une haie", themes=[hedges], audiences=[residents]),
        "inventory": InventoryPageFactory(parent=resource_index, title="Oiseaux nicheurs", themes=[birds]),
        "training": TrainingPageFactory(parent=resource_index, title="Trame verte", themes=[hedges], audiences=[elected]),
    }


def titles_in(html):
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a></h3>', html)


def test_index_lists_every_resource_with_its_count(client, resource_index, mixed_resources):
    html = html_of(client, "/ressources/")
    assert sorted(titles_in(html)) == ["Oiseaux nicheurs", "Planter une haie", "Trame verte"]
    assert "3 résultats" in html
    assert accessibility_problems(html) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=guide", ["Planter une haie"]),
        ("type=inventaire", ["Oiseaux nicheurs"]),
        ("type=formation", ["Trame verte"]),
        ("theme=haies", ["Planter une haie", "Trame verte"]),
        ("audience=elus", ["Trame verte"]),
        ("theme=haies&audience=habitants", ["Planter une haie"]),
        ("type=formation&theme=oiseaux", []),
    ],
)
def test_index_filters(client, resource_index, mixed_resources, query, expected):
    html = html_of(client, f"/ressources/?{query}")
    assert sorted(titles_in(html)) == expected
    assert "Certains filtres" not in html


def test_index_ignores_unknown_filter_values_with_a_message(client, resource_index, mixed_resources):
    html = html_of(client, "/ressources/?type=poeme&theme=inconnu&audience=guide")
    assert len(titles_in(html)) == 3
    assert "Certains filtres n’ont pas été reconnus : ils ont été ignorés." in html
    assert "Valeur inconnue, filtre ignoré." in html


def test_index_empty_state_offers_to_reset_filters(client, resource_index, mixed_resources):
    html = html_of(client, "/ressources/?type=formation&theme=oiseaux")
    assert "Aucune ressource ne correspond à ces filtres" in html
    assert '<a href="/ressources/">Effacer les filtres</a>' in html
    assert "0 résultat" in html


def test_index_without_resources(client, resource_index):
    html = html_of(client, "/ressources/")
    assert "Aucune ressource n’est encore publiée." in html
    assert "Effacer les filtres" not in html


def test_index_pagination_never_fails(client, resource_index):
    for number in range(RESOURCES_PER_PAGE + 1):
        GuidePageFactory(parent=resource_index, title=f"Guide numéro {number:02d}")

    first = html_of(client, "/ressources/")
    assert len(titles_in(first)) == RESOURCES_PER_PAGE
    assert "Page 1 sur 2" in first and 'rel="next"' in first

    second = html_of(client, "/ressources/?page=2")
    assert titles_in(second) == ["Guide numéro 00"]  # the oldest, last
    assert "page 2" in second.split("</title>")[0]

    assert titles_in(html_of(client, "/ressources/?page=99")) == ["Guide numéro 00"]
    assert len(titles_in(html_of(client, "/ressources/?page=abc"))) == RESOURCES_PER_PAGE
    # Filters are kept when changing page.
    assert "type=guide&amp;page=2" in html_of(client, "/ressources/?type=guide")


def test_index_queries_do_not_grow_with_content(client, resource_index, django_assert_num_queries):
    themes = [ThemeFactory(name="Haies", slug="haies"), ThemeFactory(name="Eau", slug="eau")]
    audiences = [AudienceFactory(name="Habitants", slug="habitants")]
    factories = [GuidePageFactory, InventoryPageFactory, TrainingPageFactory]

    def add(count):
        for number in range(count):
            factories[number % 3](
                parent=resource_index, themes=themes, audiences=audiences,
                listing_image=wagtail_factories.ImageFactory(),
            )

    add(3)
    url = "/ressources/?theme=haies"
    client.get(url)  # creates the renditions and warms the caches
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(url).status_code == 200
    expected = len(baseline)  # read now: later requests reset the connection's query log
    add(27)
    client.get(url)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
