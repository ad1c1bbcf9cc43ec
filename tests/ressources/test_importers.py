import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from biodiversitheque.core.models import Audience, Theme
from biodiversitheque.portal.models import HomePage
from ressources.importers import ImportRefused, import_resources
from ressources.models import GuidePage, InventoryPage, ResourceIndexPage, ResourcePage, TrainingPage
from tests.factories import GuidePageFactory, ThemeFactory, TrainingPageFactory

EXAMPLE_FILE = Path(django_settings.BASE_DIR) / "docs" / "exemples" / "ressources.csv"
HEADER = "type;titre;resume;texte;themes;public"


def csv_file(*lines, encoding="utf-8"):
    return io.BytesIO(("\r\n".join(lines) + "\r\n").encode(encoding))


def refusal(*lines, **kwargs):
    with pytest.raises(ImportRefused) as excinfo:
        import_resources(csv_file(*lines), **kwargs)
    return excinfo.value.errors


def test_semicolon_file_creates_live_pages_under_the_index(resource_index):
    result = import_resources(
        csv_file(
            HEADER,
            'guide;Faire une mare naturelle;Une mare sans bâche.;"Creusez en pente douce.\n\n'
            'Laissez venir les grenouilles.";"Mares et zones humides;Haies";habitants;',
            "inventaire;Les oiseaux du parc;Comptage 2025.;Trois matinées.;oiseaux;élus",
            'formation;Gestion différenciée;Deux jours.;Pour les équipes.;;"agents;professionnels"',
        )
    )

    assert result.created == ["Faire une mare naturelle", "Les oiseaux du parc", "Gestion différenciée"]
    assert (result.updated, result.unchanged, result.created_themes) == ([], [], [])
    guide = GuidePage.objects.get(slug="faire-une-mare-naturelle")
    assert guide.live and guide.get_parent().pk == resource_index.pk
    assert guide.summary == "Une mare sans bâche."
    assert [block.value.source for block in guide.body] == [
        "<p>Creusez en pente douce.</p>",
        "<p>Laissez venir les grenouilles.</p>",
    ]
    assert sorted(guide.themes.values_list("slug", flat=True)) == ["haies", "mares-et-zones-humides"]
    assert list(guide.audiences.values_list("slug", flat=True)) == ["habitants"]
    assert guide.revisions.count() == 1 and guide.live_revision_id is not None
    assert InventoryPage.objects.get().audiences.get().slug == "elus"
    assert set(TrainingPage.objects.get().audiences.values_list("slug", flat=True)) == {
        "agents",
        "professionnels",
    }


def test_comma_file_with_bom(resource_index):
    content = (
        "\ufeffType , Titre,Résumé,TEXTE,Thèmes,Public\n"
        'guide,Planter une haie,Des essences locales.,Texte.,"haies;arbres",Habitants\n'
    )
    result = import_resources(io.BytesIO(content.encode("utf-8")))

    assert result.created == ["Planter une haie"]
    guide = GuidePage.objects.get()
    assert guide.summary == "Des essences locales."
    assert set(guide.themes.values_list("slug", flat=True)) == {"haies", "arbres"}


def test_text_file_object_and_crlf_inside_cells(resource_index):
    import_resources(io.StringIO(f'{HEADER}\nguide;Un guide;;"ligne un\r\nligne deux";;\n'))

    assert [block.value.source for block in GuidePage.objects.get().body] == ["<p>ligne un<br>ligne deux</p>"]


def test_plain_text_is_escaped(resource_index):
    import_resources(csv_file(HEADER, 'guide;Un guide;<b>résumé</b>;"<script>alert(1)</script> & co";;'))

    guide = GuidePage.objects.get()
    assert guide.body[0].value.source == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>"
    assert guide.summary == "<b>résumé</b>"  # a plain text field: escaped by templates


def test_example_file_imports_the_three_types(resource_index):
    result = import_resources(EXAMPLE_FILE)

    assert len(result.created) == 8
    assert GuidePage.objects.count() == 3
    assert InventoryPage.objects.count() == 2
    assert TrainingPage.objects.count() == 3
    assert result.created_themes == ["Vergers"]
    bats = InventoryPage.objects.get(slug="les-chauves-souris-du-clocher-de-saint-martin")
    assert (bats.period_start.isoformat(), bats.period_end.isoformat()) == ("2025-06-15", "2025-08-31")
    assert bats.place == "Église Saint-Martin, combles"
    hedges = TrainingPage.objects.get(slug="planter-et-entretenir-les-haies-communales")
    assert hedges.duration == "2 jours (14 h)"
    assert hedges.objectives.startswith("<p>Choisir des essences locales adaptées au sol.<br>Planter")
    assert GuidePage.objects.get(slug="fabriquer-un-abri-a-herisson").cost == "faible"


def test_optional_guide_columns_accept_labels_and_warn_on_foreign_columns(resource_index):
    result = import_resources(
        csv_file(
            HEADER + ";Difficulté;Coût;saison;lieu;remarque",
            "guide;Un guide;;;;;Intermédiaire;Moins de 20 €;été;;à relire",
            "formation;Une formation;;;;;;;;Salle des fêtes;",
        )
    )

    guide = GuidePage.objects.get()
    assert (guide.difficulty, guide.cost, guide.season) == ("moyen", "faible", "été")
    assert (1, "colonne « remarque » inconnue, ignorée") in result.warnings
    assert (3, "colonne « lieu » ignorée pour une formation") in result.warnings


BAD_FILES = [
    pytest.param(
        ["type;titre;resume;themes;public", "guide;Un guide;;;"],
        (
            1,
            "colonne obligatoire « texte » absente "
            "(colonnes attendues : type, titre, resume, texte, themes, public)",
        ),
        id="missing-column",
    ),
    pytest.param(
        [HEADER, "guide;Un;;;Nouveau thème;", "guide;Deux;;;;", "fiche;Trois;;;;"],
        (4, "type « fiche » inconnu (attendu : guide, inventaire, formation)"),
        id="unknown-type",
    ),
    pytest.param([HEADER, "guide;Un;;;Nouveau thème;", "guide; ;;;;"], (3, "titre vide"), id="empty-title"),
    pytest.param(
        [HEADER + ";date_debut", "inventaire;Un;;;Nouveau thème;;", "inventaire;Deux;;;;;31/02/2025"],
        (3, "date_debut : date « 31/02/2025 » invalide (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)"),
        id="bad-date",
    ),
    pytest.param(
        [HEADER + ";date_debut;date_fin", "inventaire;Un;;;Nouveau thème;;2025-06-01;01/05/2025"],
        (2, "date_fin (01/05/2025) antérieure à date_debut (01/06/2025)"),
        id="end-before-start",
    ),
    pytest.param(
        [HEADER, "guide;Un;;;Nouveau thème;", "guide;Deux;" + "x" * 401 + ";;;"],
        (3, "résumé trop long (401 caractères, 400 au maximum)"),
        id="summary-too-long",
    ),
    pytest.param(
        [HEADER, "guide;" + "T" * 256 + ";;;Nouveau thème;"],
        (2, "titre trop long (256 caractères, 255 au maximum)"),
        id="title-too-long",
    ),
    pytest.param(
        [HEADER + ";duree", "guide;Un;;;Nouveau thème;;" + "d" * 101],
        (2, "duree : texte trop long (101 caractères, 100 au maximum)"),
        id="field-too-long",
    ),
    pytest.param(
        [HEADER, "guide;Faire une mare;;;Nouveau thème;", "guide;Deux;;;;", "formation;FAIRE UNE MARÉ;;;;"],
        (4, "titre « FAIRE UNE MARÉ » déjà présent ligne 2"),
        id="duplicate-title",
    ),
    pytest.param(
        [HEADER, "guide;Un;;;Nouveau thème;habitants", "guide;Deux;;;;riverains"],
        (
            3,
            "public « riverains » inconnu (valeurs acceptées : habitants, élus, agents, professionnels, "
            "scolaires, "
            "familles)",
        ),
        id="unknown-audience",
    ),
    pytest.param(
        [HEADER, "guide;Un;;;Nouveau thème;", "guide;Deux;Un résumé; avec un point-virgule;;;habitants"],
        (3, "7 cellules pour 6 colonnes (un « ; » non protégé par des guillemets dans un texte ?)"),
        id="extra-cells",
    ),
    pytest.param(
        [HEADER], (1, "le fichier ne contient aucune ressource après la ligne d'en-tête"), id="no-rows"
    ),
]


@pytest.mark.parametrize(("lines", "expected"), BAD_FILES)
def test_bad_file_is_refused_and_nothing_is_written(resource_index, lines, expected):
    pages, themes = Page.objects.count(), Theme.objects.count()

    errors = refusal(*lines)

    assert expected in errors
    assert (Page.objects.count(), Theme.objects.count()) == (pages, themes)


def test_windows_1252_file_is_read_like_the_observation_import(resource_index):
    # Same reader as the observation import: Excel's "CSV (Windows)" is accepted by both.
    content = f"{HEADER}\nguide;Un guide;;;;\nguide;Créer une mare;;;Nouveau thème;\n"

    result = import_resources(io.BytesIO(content.encode("cp1252")))

    assert result.created == ["Un guide", "Créer une mare"]
    assert Theme.objects.filter(name="Nouveau thème").exists()


def test_spreadsheet_file_is_refused_with_the_csv_advice(resource_index):
    with pytest.raises(ImportRefused) as excinfo:
        import_resources(io.BytesIO(b"PK\x03\x04" + bytes(200)))

    assert excinfo.value.errors[0][0] == 1
    assert "pas un CSV" in excinfo.value.errors[0][1] and "CSV UTF-8" in excinfo.value.errors[0][1]
    assert not ResourcePage.objects.exists()


def test_every_error_is_reported_at_once(resource_index):
    errors = refusal(HEADER, "fiche;Un;;;;", "guide;;;;;", "guide;Trois;;;;voisins")

    assert [line for line, _message in errors] == [2, 3, 4]


def test_dry_run_reports_without_writing(resource_index):
    ThemeFactory(name="Haies", slug="haies")
    existing = GuidePageFactory(parent=resource_index, title="Planter une haie", slug="planter-une-haie")
    pages = Page.objects.count()

    result = import_resources(
        csv_file(HEADER, "guide;Planter une haie;Nouveau résumé;;haies;", "guide;Faire une mare;;;Vergers;"),
        dry_run=True,
    )

    assert result.dry_run
    assert (result.created, result.updated, result.created_themes) == (
        ["Faire une mare"],
        ["Planter une haie"],
        ["Vergers"],
    )
    assert Page.objects.count() == pages
    assert not Theme.objects.filter(name="Vergers").exists()
    existing.refresh_from_db()
    assert existing.summary != "Nouveau résumé"


def test_dry_run_on_an_empty_database_creates_no_page(db):
    pages = Page.objects.count()

    result = import_resources(csv_file(HEADER, "guide;Un guide;;;;"), dry_run=True)

    assert result.created == ["Un guide"]
    assert Page.objects.count() == pages
    assert not HomePage.objects.exists()


def test_empty_database_gets_home_and_index(db):
    assert not HomePage.objects.exists()

    import_resources(csv_file(HEADER, "guide;Un guide;;;;"))

    index = ResourceIndexPage.objects.get()
    assert index.get_parent().specific_class is HomePage
    assert GuidePage.objects.child_of(index).live().get().title == "Un guide"


def test_reimport_updates_instead_of_duplicating(resource_index):
    lines = [HEADER, "guide;Faire une mare;Résumé;Texte;haies;habitants", "formation;Trame verte;;;;elus"]
    import_resources(csv_file(*lines))
    guide = GuidePage.objects.get()
    training = TrainingPage.objects.get()

    unchanged = import_resources(csv_file(*lines))
    lines[1] = "guide;Faire une mare;Résumé corrigé;Texte;haies;habitants;"
    updated = import_resources(csv_file(*lines))

    assert unchanged.created == [] and unchanged.unchanged == ["Faire une mare", "Trame verte"]
    assert updated.updated == ["Faire une mare"] and updated.unchanged == ["Trame verte"]
    assert ResourcePage.objects.count() == 2
    guide.refresh_from_db()
    assert guide.summary == "Résumé corrigé"
    assert guide.revisions.count() == 2 and guide.live
    assert training.revisions.count() == 1


def test_reimport_updates_themes_and_audiences(resource_index):
    import_resources(csv_file(HEADER, "guide;Faire une mare;;;haies;habitants"))

    result = import_resources(csv_file(HEADER, "guide;Faire une mare;;;arbres;élus"))

    guide = GuidePage.objects.get()
    assert result.updated == ["Faire une mare"]
    assert list(guide.themes.values_list("slug", flat=True)) == ["arbres"]
    assert list(guide.audiences.values_list("slug", flat=True)) == ["elus"]


def test_slug_column_matches_an_existing_resource(resource_index):
    GuidePageFactory(parent=resource_index, title="Ancien titre", slug="mare")

    result = import_resources(csv_file(HEADER + ";slug", "guide;Nouveau titre;;;;;mare"))

    assert result.updated == ["Nouveau titre"]
    assert GuidePage.objects.get().title == "Nouveau titre"


def test_same_slug_with_another_type_is_refused(resource_index):
    TrainingPageFactory(parent=resource_index, title="Trame verte", slug="trame-verte")

    errors = refusal(HEADER, "guide;Trame verte;;;;")

    assert errors == [
        (
            2,
            "une ressource d'identifiant « trame-verte » existe déjà, mais c'est une formation, "
            "pas un guide : changez le titre ou renseignez la colonne slug",
        )
    ]
    assert not GuidePage.objects.exists()


def test_themes_are_matched_loosely_or_created(resource_index):
    themes = Theme.objects.count()

    result = import_resources(
        csv_file(
            HEADER,
            'guide;Un;;;"mares et zones humides;MARES-ET-ZONES-HUMIDES;vergers anciens";',
            "guide;Deux;;;Vergers Anciens;",
        )
    )

    assert result.created_themes == ["Vergers anciens"]
    assert Theme.objects.count() == themes + 1
    assert set(GuidePage.objects.get(title="Un").themes.values_list("slug", flat=True)) == {
        "mares-et-zones-humides",
        "vergers-anciens",
    }
    assert GuidePage.objects.get(title="Deux").themes.get().name == "Vergers anciens"


def test_audiences_accept_accents_case_and_singular(resource_index):
    import_resources(csv_file(HEADER, 'formation;Une formation;;;;"Élus;elu;habitant;Agent"'))

    slugs = set(TrainingPage.objects.get().audiences.values_list("slug", flat=True))
    assert slugs == {"elus", "habitants", "agents"}
    assert Audience.objects.count() == 6


def test_progress_is_reported_every_hundred_rows(resource_index):
    calls = []
    lines = [HEADER] + [f"guide;Guide {n};;;;" for n in range(130)]

    import_resources(csv_file(*lines), progress=lambda done, total: calls.append((done, total)))

    assert calls == [(100, 130), (130, 130)]


def test_imported_page_is_listed_and_searchable(resource_index, client):
    import_resources(
        csv_file(HEADER, "guide;Accueillir le hérisson;Un abri au fond du jardin.;Des feuilles mortes.;;")
    )

    response = client.get(resource_index.url)

    assert response.status_code == 200
    assert "Accueillir le hérisson" in response.content.decode()
    assert [page.title for page in GuidePage.objects.live().search("hérisson")] == ["Accueillir le hérisson"]
    assert [page.title for page in Page.objects.live().search("feuilles mortes")] == [
        "Accueillir le hérisson"
    ]


def test_updated_text_is_searchable_and_later_saves_are_indexed_again(resource_index):
    import_resources(csv_file(HEADER, "guide;Faire une mare;;Des grenouilles.;;"))
    import_resources(csv_file(HEADER, "guide;Faire une mare;;Des tritons palmés.;;"))

    assert [page.title for page in GuidePage.objects.live().search("tritons")] == ["Faire une mare"]
    assert not GuidePage.objects.live().search("grenouilles")
    # The import defers indexing while it writes; ordinary saves afterwards are indexed as usual.
    GuidePageFactory(parent=resource_index, title="Nichoirs à mésanges")
    assert [page.title for page in GuidePage.objects.search("mésanges")] == ["Nichoirs à mésanges"]


def test_refused_write_restores_search_indexing(resource_index, monkeypatch):
    from ressources import importers

    GuidePageFactory(parent=resource_index, title="Faire une mare", slug="faire-une-mare")

    def fail(row, index, themes):
        raise importers.ValidationError("boom")

    monkeypatch.setattr(importers, "_write_row", fail)
    with pytest.raises(ImportRefused):
        import_resources(csv_file(HEADER, "guide;Faire une mare;;Changé.;Nouveau thème;"))

    assert not Theme.objects.filter(slug="nouveau-theme").exists()
    GuidePageFactory(parent=resource_index, title="Nichoirs à mésanges")
    assert GuidePage.objects.search("mésanges")


def test_bulk_path_failing_midway_writes_nothing(resource_index, monkeypatch):
    from ressources import importers

    def fail(pages):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(importers, "_insert_taxonomy", fail)  # after the page rows are inserted
    with pytest.raises(RuntimeError):
        import_resources(csv_file(HEADER, "guide;Faire une mare;;;Nouveau thème;", "guide;Une haie;;;;"))

    assert not ResourcePage.objects.exists() and not Page.objects.filter(slug="faire-une-mare").exists()
    assert not Theme.objects.filter(slug="nouveau-theme").exists()
    assert Page.objects.get(pk=resource_index.pk).numchild == 0
    GuidePageFactory(parent=resource_index, title="Nichoirs à mésanges")
    assert GuidePage.objects.search("mésanges")


def test_first_import_pages_are_live_revised_and_fit_the_page_tree(resource_index, client):
    existing = GuidePageFactory(parent=resource_index, title="Déjà là", slug="deja-la")
    lines = [HEADER, 'guide;Faire une mare;Une mare.;"Creusez.\n\nAttendez.";"haies;Nouveau thème";habitants']
    lines += [f"inventaire;Inventaire {n};;;;élus" for n in range(3)] + ["formation;Tailler les haies;;;;agents"]

    import_resources(csv_file(*lines))

    assert [len(problems) for problems in Page.find_problems()] == [0, 0, 0, 0, 0]
    index = Page.objects.get(pk=resource_index.pk)
    children = list(index.get_children().specific())
    assert [page.slug for page in children][:2] == ["deja-la", "faire-une-mare"]
    assert index.numchild == len(children) == 6
    guide = GuidePage.objects.get(slug="faire-une-mare")
    assert guide.live and not guide.has_unpublished_changes and guide.first_published_at
    assert guide.url_path == f"{index.url_path}faire-une-mare/" and guide.depth == index.depth + 1
    revision = guide.revisions.get()
    assert guide.live_revision_id == guide.latest_revision_id == revision.pk
    from_revision = revision.as_object()
    assert from_revision.title == "Faire une mare" and from_revision.summary == "Une mare."
    assert sorted(theme.slug for theme in from_revision.themes.all()) == ["haies", "nouveau-theme"]
    assert [block.value.source for block in from_revision.body] == ["<p>Creusez.</p>", "<p>Attendez.</p>"]
    actions = set(PageLogEntry.objects.filter(page=guide).values_list("action", flat=True))
    assert actions == {"wagtail.create", "wagtail.publish"}
    # The same references as the ordinary save would index (none for these fields, today).
    stored = ReferenceIndex.get_references_for_object(guide).values_list(
        "to_content_type_id", "to_object_id", "model_path", "content_path"
    )
    assert set(stored) == set(ReferenceIndex._extract_references_from_object(guide))
    assert client.get(guide.url).status_code == 200
    # The tree stays editable the ordinary way: a new child after the bulk ones, an edit published again.
    added = resource_index.add_child(instance=GuidePage(title="Ajouté ensuite", slug="ajoute-ensuite"))
    assert added.path > children[-1].path
    guide.title = "Faire une mare naturelle"
    guide.save_revision().publish()
    assert GuidePage.objects.get(pk=guide.pk).live_revision.as_object().title == "Faire une mare naturelle"
    assert [len(problems) for problems in Page.find_problems()] == [0, 0, 0, 0, 0]
    assert existing.pk in {page.pk for page in children}


def test_first_import_is_in_the_site_search(resource_index, client):
    import_resources(csv_file(HEADER, "guide;Accueillir le hérisson;Un abri au fond du jardin.;Des feuilles.;haies;"))

    results = client.get("/api/recherche/", {"q": "herisson"}).json()["results"]

    assert [result["title"] for result in results][:1] == ["Accueillir le hérisson"]
    assert results[0]["url"].endswith("/accueillir-le-herisson/")


def test_first_import_queries_grow_less_than_one_per_row(resource_index):
    def queries(count, offset):
        lines = [HEADER] + [f'guide;Guide {offset + n};;Texte.;"haies;Thème {n % 3}";élus' for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            import_resources(csv_file(*lines))
        return len(captured.captured_queries)

    few = queries(5, 0)  # creates the themes too
    # Page by page, each row cost about forty queries; in bulk, a few per batch (Wagtail's admin index).
    assert queries(40, 1000) - few < 35


def test_validation_queries_do_not_grow_with_rows(resource_index, django_assert_max_num_queries):
    lines = [HEADER] + [f'guide;Guide {n};;;"haies;Thème {n % 3}";"élus;habitant"' for n in range(40)]
    import_resources(csv_file(*lines[:21]))  # half the rows exist: they are compared, not created

    with django_assert_max_num_queries(10):
        result = import_resources(csv_file(*lines), dry_run=True)

    assert (len(result.created), len(result.unchanged)) == (20, 20)
