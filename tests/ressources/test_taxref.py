"""refresh_taxref: names and accepted names from TAXREF, statuses by territory from the BDC, all or nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ressources.models import Taxon, TaxonStatus
from ressources.taxref import TaxrefError, refresh_taxref, status_kind, version_from_filename

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TAXREF = FIXTURES / "TAXREFv17.txt"
BDC = FIXTURES / "BDC_STATUTS_17.csv"


@pytest.fixture
def taxa(db):
    return {
        "hedgehog": Taxon.objects.create(scientific_name="Erinaceus europaeus", cd_nom=60015, group="autres"),
        "newt": Taxon.objects.create(scientific_name="Triturus cristatus", cd_nom=444432, group="amphibiens",
                                     vernacular_name="Triton à crête"),
        "old_newt": Taxon.objects.create(scientific_name="Triturus cristatus Laurenti", cd_nom=139, group="amphibiens"),
        "palmate": Taxon.objects.create(scientific_name="Triturus helveticus", cd_nom=150, group="amphibiens"),
        "knotweed": Taxon.objects.create(scientific_name="Reynoutria japonica", cd_nom=117585, group="plantes",
                                         is_invasive=True),
        "bee": Taxon.objects.create(scientific_name="Bombus terrestris", group="insectes"),
    }


def test_version_from_file_names():
    assert version_from_filename("TAXREFv17.txt") == "17.0"
    assert version_from_filename("/tmp/TAXREF_v16/TAXREFv16_1.txt") == "16.1"
    assert version_from_filename("BDC_STATUTS_17.csv") == "17.0"
    assert version_from_filename("export.txt") == ""


def test_status_kinds_from_bdc_types():
    assert status_kind("PN", "Protection") == "protection"
    assert status_kind("LRR", "Liste rouge") == "liste-rouge"
    assert status_kind("REGLII", "Réglementation") == "envahissante"
    assert status_kind("DH", "Directives européennes") == "reglementation"


def test_names_ranks_and_accepted_names(taxa):
    report = refresh_taxref(TAXREF)
    hedgehog = Taxon.objects.get(pk=taxa["hedgehog"].pk)
    assert (hedgehog.vernacular_name, hedgehog.rank, hedgehog.kingdom, hedgehog.family, hedgehog.author) == (
        "Hérisson d'Europe", "ES", "Animalia", "Erinaceidae", "Linnaeus, 1758"
    )
    assert hedgehog.group == "mammiferes" and hedgehog.taxref_version == "17.0" and hedgehog.cd_ref == 60015
    newt = Taxon.objects.get(pk=taxa["newt"].pk)
    assert newt.vernacular_name == "Triton à crête"  # a librarian's name is kept
    old_newt = Taxon.objects.get(pk=taxa["old_newt"].pk)
    assert old_newt.is_synonym and old_newt.cd_ref == 444432 and old_newt.scientific_name == "Triturus cristatus"
    # The accepted name of a synonym missing from the database is added, so the synonym has a page to go to.
    accepted = Taxon.objects.get(cd_nom=444440)
    assert accepted.scientific_name == "Lissotriton helveticus" and accepted.vernacular_name == "Triton palmé"
    assert report.accepted_created == 1 and report.taxa_found == 5 and report.taxref_lines == 34
    assert Taxon.objects.get(pk=taxa["bee"].pk).taxref_version == ""  # no cd_nom: untouched


def test_statuses_by_territory_replace_the_flags(taxa):
    assert taxa["knotweed"].is_invasive
    refresh_taxref(TAXREF, BDC)
    hedgehog = Taxon.objects.get(pk=taxa["hedgehog"].pk)
    territories = set(hedgehog.territorial_statuses.values_list("territory", "code"))
    # Île-de-France is not one of the territories configured for the town: its red list is left out.
    assert territories == {("France métropolitaine", "NM2"), ("France métropolitaine", "LC"),
                           ("Centre-Val de Loire", "LC")}
    assert hedgehog.is_protected and not hedgehog.is_threatened
    newt = Taxon.objects.get(pk=taxa["newt"].pk)
    assert newt.is_protected and newt.is_threatened  # vulnérable in Centre-Val de Loire
    labels = [status.badge_label for status in newt.status_badges()]
    assert labels[0] == "Espèce protégée — France métropolitaine : article 2 (NAR2)"
    assert "Liste rouge Centre-Val de Loire : vulnérable (VU)" in labels
    # The synonym shares its species' statuses, once each although the file lists both names.
    old_newt = Taxon.objects.get(pk=taxa["old_newt"].pk)
    assert old_newt.is_threatened and old_newt.territorial_statuses.filter(type_code="PN").count() == 1
    knotweed = Taxon.objects.get(pk=taxa["knotweed"].pk)
    assert knotweed.is_invasive
    assert list(knotweed.territorial_statuses.values_list("source", "code")) == [("bdc", "FRnoEEEA")]


def test_second_refresh_changes_nothing(taxa):
    refresh_taxref(TAXREF, BDC)
    before = sorted(TaxonStatus.objects.values_list("taxon", "type_code", "territory_code", "code"))
    refresh_taxref(TAXREF, BDC)
    assert sorted(TaxonStatus.objects.values_list("taxon", "type_code", "territory_code", "code")) == before
    assert Taxon.objects.filter(cd_nom=444440).count() == 1


def test_territories_can_be_chosen(taxa, settings):
    settings.TAXREF_TERRITORIES = ["Île-de-France"]
    refresh_taxref(statuses_path=BDC)
    hedgehog = Taxon.objects.get(pk=taxa["hedgehog"].pk)
    assert list(hedgehog.territorial_statuses.values_list("territory", "code")) == [("Île-de-France", "NT")]
    assert not hedgehog.is_protected


def test_wrong_file_is_refused_in_french_and_changes_nothing(taxa, tmp_path):
    with pytest.raises(TaxrefError, match="n'est pas un fichier TAXREF : colonne"):
        refresh_taxref(BDC, version="17.0")
    broken = tmp_path / "TAXREFv17.txt"
    broken.write_bytes(b"PK\x03\x04 not a text file")
    with pytest.raises(TaxrefError, match="n'est pas un CSV"):
        refresh_taxref(broken)
    with pytest.raises(TaxrefError, match="précisez --version"):
        refresh_taxref(tmp_path / "export.txt")
    # A good TAXREF file followed by a wrong statuses file: the names are not half-written either.
    with pytest.raises(TaxrefError, match="BDC statuts"):
        refresh_taxref(TAXREF, TAXREF)
    assert not Taxon.objects.filter(taxref_version="17.0").exists()
    assert not Taxon.objects.filter(cd_nom=444440).exists()


def test_command_reports_in_french(taxa):
    out = StringIO()
    call_command("refresh_taxref", str(TAXREF), "--statuts", str(BDC), stdout=out)
    text = out.getvalue()
    assert "TAXREF 17.0 : 34 lignes lues, 5 taxon(s) de la base trouvé(s)" in text
    assert "Territoires retenus : France métropolitaine" in text and "Référentiel à jour." in text
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("refresh_taxref", "/nulle/part/TAXREFv17.txt", stdout=StringIO())
    with pytest.raises(CommandError, match="Indiquez un fichier"):
        call_command("refresh_taxref", stdout=StringIO())
