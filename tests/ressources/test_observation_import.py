import io
import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ressources.models import Observation, Taxon
from ressources.observations import ObservationImportError, import_observations


def test_darwin_core_file_is_recognised_and_imported(inventory, sample):
    report = import_observations(inventory, sample("darwin-core.csv"))

    assert report.format_name == "darwin-core"
    assert report.created == 19 and report.error_count == 0
    newt = Observation.objects.filter(inventory=inventory, cd_nom=444432).first()
    assert newt.scientific_name == "Triturus cristatus"  # authority removed
    assert newt.taxon.vernacular_name == "Triton crêté"
    assert newt.taxon.group == "amphibiens" and newt.taxon.is_protected
    assert newt.source == "darwin-core" and newt.occurrence_id.startswith("urn:uuid:")
    assert newt.precision == 10


def test_inaturalist_file_with_bom_is_recognised(inventory, sample):
    report = import_observations(inventory, sample("inaturalist.csv"))

    assert report.format_name == "inaturalist"
    assert report.created == 28
    knotweed = Taxon.objects.get(scientific_name="Reynoutria japonica")
    assert knotweed.is_invasive and knotweed.group == "plantes"
    assert Observation.objects.filter(occurrence_id="180000137", source="inaturalist").exists()


def test_geonature_file_with_lambert93_coordinates(inventory, sample):
    report = import_observations(inventory, sample("geonature.csv"))

    assert report.format_name == "geonature"
    assert report.created == 48
    robin = Observation.objects.filter(inventory=inventory, cd_nom=4001).order_by("occurrence_id").first()
    assert robin.observed_on == datetime.date(2024, 5, 15)
    # x=526312, y=6702009 in Lambert 93 is near Tours.
    assert Decimal("47.38") < robin.latitude < Decimal("47.41")
    assert Decimal("0.68") < robin.longitude < Decimal("0.71")
    assert Observation.objects.filter(inventory=inventory, is_sensitive=True).count() == 2


def test_geonature_with_wgs84_columns_and_tabs(inventory):
    data = "cd_nom\tnom_cite\tnom_vern\tdate_debut\tlatitude\tlongitude\tdenombrement_min\n" \
           "60015\tErinaceus europaeus\tHérisson d'Europe\t2025-06-01\t47,3941\t0,6848\t2\n"
    report = import_observations(inventory, data.encode("utf-8"))

    observation = Observation.objects.get(inventory=inventory)
    assert report.format_name == "geonature"
    assert observation.latitude == Decimal("47.394100") and observation.count == 2
    assert observation.occurrence_id.startswith("empreinte:")  # no identifier: content hash


@pytest.mark.parametrize("name", ["darwin-core.csv", "inaturalist.csv", "geonature.csv"])
def test_reimporting_the_same_file_adds_nothing(inventory, sample, name):
    first = import_observations(inventory, sample(name))
    second = import_observations(inventory, sample(name))

    assert second.created == 0 and second.already_present == first.created
    assert Observation.objects.filter(inventory=inventory).count() == first.created


def test_reimport_without_identifiers_adds_nothing(inventory):
    data = b"cd_nom;nom_valide;date_debut;latitude;longitude\n60015;Erinaceus europaeus;2025-06-01;47.39;0.68\n"
    import_observations(inventory, data)
    import_observations(inventory, data)

    assert Observation.objects.filter(inventory=inventory).count() == 1


BAD_FILE = (
    "occurrenceID,scientificName,eventDate,decimalLatitude,decimalLongitude,individualCount\n"
    "a1,Bufo spinosus,2025-04-02,47.39,0.68,1\n"
    "a2,Bufo spinosus,2025-13-45,47.39,0.68,1\n"
    "a3,,2025-04-02,47.39,0.68,1\n"
    "a4,Hyla arborea,2025-04-02,147.39,0.68,1\n"
    "a5,Hyla arborea,2025-04-03,47.39,0.68,deux\n"
)


def test_bad_file_is_refused_with_line_numbers_and_imports_nothing(inventory):
    report = import_observations(inventory, BAD_FILE.encode())

    assert report.refused
    assert report.error_count == 4
    lines = report.error_lines()
    assert lines[0].startswith("Ligne 3 : date invalide « 2025-13-45 »")
    assert lines[1] == "Ligne 4 : nom du taxon manquant"
    assert lines[2].startswith("Ligne 5 : coordonnées hors limites")
    assert lines[3].startswith("Ligne 6 : effectif invalide")
    assert not Observation.objects.exists()
    assert not Taxon.objects.exists()


def test_skip_invalid_imports_the_valid_rows_only(inventory):
    report = import_observations(inventory, BAD_FILE.encode(), skip_invalid=True)

    assert report.imported and report.created == 1 and report.error_count == 4
    assert list(Observation.objects.values_list("occurrence_id", flat=True)) == ["a1"]


def test_dry_run_writes_nothing(inventory, sample):
    report = import_observations(inventory, sample("darwin-core.csv"), dry_run=True)

    assert report.created == 19
    assert not Observation.objects.exists()


@pytest.mark.parametrize("data, message", [
    (b"", "vide"),
    (b"nom date\nx y\n", "séparateur"),
    (b"foo;bar\n1;2\n", "Format non reconnu"),
    (b"occurrenceID,scientificName,eventDate\n", "aucune ligne"),
])
def test_unreadable_files_get_a_french_error(inventory, data, message):
    with pytest.raises(ObservationImportError, match=message):
        import_observations(inventory, data)


def test_windows_1252_file_is_read(inventory):
    data = "cd_nom;nom_valide;nom_vern;date_debut\n60015;Erinaceus europaeus;Hérisson d'Europe;01/06/2025\n"
    import_observations(inventory, data.encode("cp1252"))

    assert Observation.objects.get().vernacular_name == "Hérisson d'Europe"


def test_absences_are_not_imported(inventory):
    data = b"occurrenceID,scientificName,eventDate,occurrenceStatus\nb1,Bufo bufo,2025-04-02,absent\n" \
           b"b2,Bufo bufo,2025-04-02,present\n"
    report = import_observations(inventory, data)

    assert report.absences == 1 and report.created == 1


def test_command_imports_and_reports(inventory, sample, tmp_path, capsys):
    path = tmp_path / "amphibiens.csv"
    path.write_bytes(sample("darwin-core.csv"))

    call_command("import_observations", inventory.slug, str(path))

    assert "Format reconnu : Darwin Core" in capsys.readouterr().out
    assert Observation.objects.filter(inventory=inventory).count() == 19


def test_command_refuses_a_bad_file(inventory, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_FILE)

    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("import_observations", inventory.slug, str(path))
    assert "Ligne 3" in capsys.readouterr().err
    assert not Observation.objects.exists()


def test_command_skip_invalid_and_unknown_inventory(inventory, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_FILE)

    call_command("import_observations", inventory.slug, str(path), "--skip-invalid")
    assert Observation.objects.count() == 1
    with pytest.raises(CommandError, match="Aucun inventaire"):
        call_command("import_observations", "inconnu", str(path))


def test_observation_created_with_names_gets_a_taxon(inventory):
    from tests.factories import ObservationFactory

    first = ObservationFactory(inventory=inventory)
    second = ObservationFactory(inventory=inventory, observed_on=datetime.date(2024, 4, 1))

    assert first.taxon is not None and first.taxon == second.taxon
    assert first.taxon.cd_nom == 60015 and first.taxon.is_protected


def _big_file(rows):
    lines = ["occurrenceID,scientificName,eventDate,decimalLatitude,decimalLongitude,individualCount"]
    lines += [f"id{n},Bufo spinosus,2025-04-02,47.39,0.68,{n % 9 + 1}" for n in range(rows)]
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def test_large_import_is_read_lazily_and_written_in_batches_in_one_transaction(inventory, monkeypatch):
    from django.db import connection

    from ressources.observations import importer

    monkeypatch.setattr(importer, "BATCH_SIZE", 100)
    handle = _big_file(5000)
    size = len(handle.getvalue())
    depth = len(connection.savepoint_ids)
    seen = []

    def progress(created, read):
        # Between two batches: still inside the import's transaction, and the file is not read in full.
        seen.append((created, read, len(connection.savepoint_ids) > depth, handle.tell() < size))

    report = import_observations(inventory, handle, progress=progress)

    assert report.imported and report.created == 5000
    assert len(seen) == 50 and seen[-1][:2] == (5000, 5000)
    assert all(inside for _created, _read, inside, _lazy in seen)
    assert seen[0][3]  # the first batch was written while most of the file was still unread
    assert Observation.objects.filter(inventory=inventory).count() == 5000


def test_an_invalid_row_after_written_batches_leaves_nothing(inventory, monkeypatch):
    from ressources.observations import importer

    monkeypatch.setattr(importer, "BATCH_SIZE", 10)
    lines = _big_file(50).getvalue().decode().splitlines() + ["late,Bufo spinosus,2025-04-31,47.39,0.68,1"]

    report = import_observations(inventory, ("\n".join(lines) + "\n").encode())

    assert report.refused and report.created == 0
    assert report.error_lines() == ["Ligne 52 : date invalide « 2025-04-31 » (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"]
    assert not Observation.objects.exists()
    assert not Taxon.objects.exists()


def test_failure_while_writing_undoes_the_batches_already_written(inventory, monkeypatch):
    from ressources.observations import importer

    monkeypatch.setattr(importer, "BATCH_SIZE", 10)
    real_insert = importer.insert_observations
    calls = []

    def failing_insert(records):
        calls.append(len(records))
        if len(calls) == 3:
            raise RuntimeError("disque plein")
        return real_insert(records)

    monkeypatch.setattr(importer, "insert_observations", failing_insert)

    with pytest.raises(ObservationImportError, match="rien n'a été importé") as excinfo:
        import_observations(inventory, _big_file(50))

    assert excinfo.value.code == "write_failed"
    assert calls == [10, 10, 10]
    assert not Observation.objects.exists()
    assert not Taxon.objects.exists()


def _species_file(rows, species, first_cd_nom=7001):
    lines = ["occurrenceID,scientificName,vernacularName,taxonID,class,eventDate,decimalLatitude,decimalLongitude,"
             "individualCount"]
    for n in range(rows):
        cd_nom = first_cd_nom + n % species
        lines.append(f"q{n},Genus{cd_nom} species{cd_nom},Espèce {cd_nom},https://taxref.mnhn.fr/api/taxa/{cd_nom},"
                     f"Aves,2025-05-{n % 28 + 1:02d},47.39,0.68,{n % 5 + 1}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("new_taxa", [True, False])
def test_queries_do_not_grow_with_rows_nor_species(resource_index, django_capture_on_commit_callbacks, new_taxa):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import InventoryPageFactory

    counts = []
    for rows, species, first_cd_nom in ((10, 5, 7001), (200, 5, 8001), (200, 100, 9001)):
        data = _species_file(rows, species, first_cd_nom)
        target = InventoryPageFactory(parent=resource_index, title=f"Inventaire {first_cd_nom}")
        if not new_taxa:
            with django_capture_on_commit_callbacks(execute=True):
                import_observations(InventoryPageFactory(parent=resource_index, title=f"Avant {first_cd_nom}"), data)
        # The search index (inventory and species) is updated after the commit: counted too.
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            report = import_observations(target, data)
        assert report.created == rows and report.new_taxa == (species if new_taxa else 0)
        counts.append(len(queries))
    # Taxa, observations, the inventory's and the species' search documents: a few queries each, whatever the
    # number of rows (in one batch; the first import may add a vocabulary query)…
    assert counts[1] <= counts[0]
    # … and of species, but for the search vocabulary, updated by one query per distinct change of frequency.
    assert counts[2] <= counts[0] + 5


def test_species_created_in_bulk_are_searchable_with_their_statuses(inventory, sample,
                                                                    django_capture_on_commit_callbacks):
    from biodiversitheque.search.models import SearchDocument

    with django_capture_on_commit_callbacks(execute=True):
        import_observations(inventory, sample("darwin-core.csv"))

    newt = Taxon.objects.get(cd_nom=444432)
    assert newt.slug == "triturus-cristatus"
    assert newt.territorial_statuses.filter(code="PN").exists()  # the flag comes with its status
    document = SearchDocument.objects.get(kind="espece", object_id=newt.pk)
    assert document.title == "Triton crêté (Triturus cristatus)"
    assert document.url.endswith("/444432/")
    assert "observée dans 1 inventaire" in document.summary
    assert newt in list(Taxon.objects.search("Triturus"))  # the admin's search: indexed in bulk too


def test_bulk_species_documents_match_those_of_a_single_reindex(inventory, resource_index, sample,
                                                                django_capture_on_commit_callbacks):
    from biodiversitheque.search.models import SearchDocument
    from biodiversitheque.search.services import reindex
    from tests.factories import InventoryPageFactory

    second = InventoryPageFactory(parent=resource_index, title="Second")
    for target in (inventory, second):
        with django_capture_on_commit_callbacks(execute=True):
            import_observations(target, sample("darwin-core.csv"))
    fields = ("title", "url", "summary", "text")
    bulk = {doc["object_id"]: doc for doc in SearchDocument.objects.filter(kind="espece").values("object_id", *fields)}
    for taxon in Taxon.objects.all():
        reindex(taxon)
    single = {doc["object_id"]: doc for doc in SearchDocument.objects.filter(kind="espece").values("object_id", *fields)}

    assert bulk and bulk == single
    assert all("2 inventaires" in doc["summary"] for doc in bulk.values())


def test_inserted_values_read_back_as_the_orm_writes_them(inventory):
    data = b"occurrenceID,scientificName,eventDate,decimalLatitude,decimalLongitude,individualCount," \
           b"coordinateUncertaintyInMeters,informationWithheld\n" \
           b"v1,Bufo spinosus,2025-04-02,47.394112,0.684801,3,25,floutage\n"
    import_observations(inventory, data)
    inserted = Observation.objects.get(occurrence_id="v1")
    copy = Observation.objects.create(
        inventory=inventory, taxon=inserted.taxon, scientific_name="Bufo spinosus", taxon_group=inserted.taxon_group,
        observed_on=datetime.date(2025, 4, 2), latitude=Decimal("47.394112"), longitude=Decimal("0.684801"),
        count=3, precision=25, is_sensitive=True, occurrence_id="v2", source="darwin-core",
    )
    copy.refresh_from_db()

    fields = ("observed_on", "latitude", "longitude", "count", "precision", "is_sensitive", "source", "taxon_id")
    assert [getattr(inserted, name) for name in fields] == [getattr(copy, name) for name in fields]
    assert inserted.sinp_id and inserted.sinp_id != copy.sinp_id
    assert inserted.altitude is None
