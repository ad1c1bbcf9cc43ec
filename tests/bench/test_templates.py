"""The fingerprint that keys the benchmarks' migrated templates, on a small copy of a project tree."""

import pytest

from bench.templates import fingerprint


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "shop" / "migrations").mkdir(parents=True)
    (tmp_path / "shop" / "migrations" / "0001_initial.py").write_text("operations = []\n")
    (tmp_path / "shop" / "models.py").write_text("# models\n")
    (tmp_path / "site" / "settings").mkdir(parents=True)
    (tmp_path / "site" / "settings" / "base.py").write_text("DEBUG = False\n")
    (tmp_path / ".venv" / "lib" / "migrations").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "migrations" / "0001_initial.py").write_text("operations = []\n")
    return tmp_path


def test_fingerprint_is_stable(tree):
    assert fingerprint(tree, "site.settings.bench") == fingerprint(tree, "site.settings.bench")


def test_fingerprint_changes_with_a_migration(tree):
    before = fingerprint(tree, "site.settings.bench")
    (tree / "shop" / "migrations" / "0001_initial.py").write_text("operations = ['edited']\n")
    edited = fingerprint(tree, "site.settings.bench")
    (tree / "shop" / "migrations" / "0002_more.py").write_text("operations = []\n")
    assert len({before, edited, fingerprint(tree, "site.settings.bench")}) == 3


def test_fingerprint_changes_with_settings_files_and_module(tree):
    before = fingerprint(tree, "site.settings.bench")
    assert fingerprint(tree, "site.settings.test") != before
    (tree / "site" / "settings" / "base.py").write_text("DEBUG = True\n")
    assert fingerprint(tree, "site.settings.bench") != before


def test_fingerprint_ignores_other_code_and_the_virtualenv(tree):
    before = fingerprint(tree, "site.settings.bench")
    (tree / "shop" / "models.py").write_text("# models, edited\n")
    (tree / ".venv" / "lib" / "migrations" / "0001_initial.py").write_text("operations = ['other']\n")
    assert fingerprint(tree, "site.settings.bench") == before
