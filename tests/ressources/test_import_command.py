import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import Page

from biodiversitheque.core.models import Theme
from ressources.models import ResourcePage

EXAMPLE_FILE = Path(settings.BASE_DIR) / "docs" / "exemples" / "ressources.csv"
HEADER = "type;titre;resume;texte;themes;public"


def run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_resources", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def write(tmp_path, *lines, encoding="utf-8"):
    path = tmp_path / "ressources.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return str(path)


def test_import_prints_progress_and_summary(resource_index):
    stdout, stderr = run(str(EXAMPLE_FILE))

    assert "8/8 lignes…" in stdout
    assert "8 ressources créées, 0 mise à jour, 0 inchangée, 1 thème créé : Vergers." in stdout
    assert stderr == ""
    assert ResourcePage.objects.count() == 8

    stdout, _stderr = run(str(EXAMPLE_FILE))
    assert "0 ressource créée, 0 mise à jour, 8 inchangées, 0 thème créé." in stdout


def test_refused_file_exits_non_zero_with_french_reasons(resource_index, tmp_path):
    path = write(
        tmp_path, HEADER, "guide;Un;;;Nouveau thème;", "guide;Deux;;;;", "fiche;Trois;;;;", "guide;;;;;"
    )
    pages, themes = Page.objects.count(), Theme.objects.count()

    with pytest.raises(CommandError) as excinfo:
        run(path)

    message = str(excinfo.value)
    assert excinfo.value.returncode == 1
    assert message.startswith("Fichier refusé, rien n'a été importé (2 erreurs) :")
    assert "  ligne 4 : type « fiche » inconnu (attendu : guide, inventaire, formation)" in message
    assert "  ligne 5 : titre vide" in message
    assert (Page.objects.count(), Theme.objects.count()) == (pages, themes)


def test_undecodable_file_is_refused(resource_index, tmp_path):
    path = tmp_path / "ressources.csv"
    # 0x81 exists neither in UTF-8 (alone) nor in Windows-1252.
    path.write_bytes(f"{HEADER}\nguide;Cr\x81er une mare;;;;\n".encode("latin-1"))

    with pytest.raises(CommandError, match="encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 »"):
        run(path)


def test_long_error_lists_are_cut(resource_index, tmp_path):
    path = write(tmp_path, HEADER, *[f"fiche;Titre {n};;;;" for n in range(60)])

    with pytest.raises(CommandError) as excinfo:
        run(path)

    assert "  … et 10 autres erreurs." in str(excinfo.value)


def test_dry_run_lists_what_would_change_and_writes_nothing(resource_index):
    pages = Page.objects.count()

    stdout, _stderr = run(str(EXAMPLE_FILE), "--dry-run")

    assert "Simulation (--dry-run) : le fichier est valide, rien n'a été enregistré." in stdout
    assert "  à créer : Fabriquer un abri à hérisson" in stdout
    assert "8 ressources créées" in stdout
    assert Page.objects.count() == pages
    assert not Theme.objects.filter(slug="vergers").exists()


def test_warnings_go_to_stderr(resource_index, tmp_path):
    path = write(tmp_path, HEADER + ";auteur", "guide;Un guide;;;;;Camille")

    stdout, stderr = run(path)

    assert "Attention, ligne 1 : colonne « auteur » inconnue, ignorée" in stderr
    assert "1 ressource créée" in stdout


def test_missing_file(db):
    with pytest.raises(CommandError, match="Fichier introuvable : /nulle/part.csv"):
        run("/nulle/part.csv")
