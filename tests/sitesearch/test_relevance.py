"""The French relevance set (relevance.toml) over the demo content (load_demo): SQLite, PostgreSQL, search node."""

import os
import tomllib
from pathlib import Path

import pytest

from biodiversitheque.search.backends import get_backend

CASES = tomllib.loads((Path(__file__).parent / "relevance.toml").read_text())["case"]


def failures(backend):
    missed = []
    for case in CASES:
        results = backend.search(case["query"], per_page=case.get("top", 3))
        titles = [row["title"] for row in results.results]
        expected = case["expected"] if isinstance(case["expected"], list) else [case["expected"]]
        for title in expected:
            if title not in titles:
                missed.append(f"{case['query']!r}: {title!r} absent de {titles}")
        for title in case.get("absent", []):
            if title in titles:
                missed.append(f"{case['query']!r}: {title!r} ne devrait pas être parmi {titles}")
        if "corrected" in case and results.corrected != case["corrected"]:
            missed.append(f"{case['query']!r}: corrigée = {results.corrected} ({results.suggestion!r})")
    return missed


def test_relevance_set_is_large_enough():
    assert len(CASES) >= 40


on_search_node = pytest.mark.skipif(bool(os.environ.get("SEARCH_URL")), reason="SEARCH_URL : moteur distribué")


@on_search_node
def test_relevance_sqlite(demo_content, db, on_postgres):
    if on_postgres:
        pytest.skip("SQLite")
    assert failures(get_backend()) == []


@on_search_node
@pytest.mark.postgresql
def test_relevance_postgresql(demo_content, db):
    assert get_backend().name == "postgresql"
    assert failures(get_backend()) == []


@pytest.mark.skipif(not os.environ.get("SEARCH_URL"), reason="SEARCH_URL non défini : pas de nœud de recherche")
def test_relevance_search_node(demo_content, db):
    assert get_backend().name == "elasticsearch"
    assert failures(get_backend()) == []


def test_rebuild_gives_the_same_ranking(demo_content, db):
    from django.core.management import call_command

    before = failures(get_backend())
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert failures(get_backend()) == before
