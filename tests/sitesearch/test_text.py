import pytest
from hypothesis import given
from hypothesis import strategies as st

from biodiversitheque.search.text import clean_query, edits1, fold, highlight, normalize, query_terms, terms


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("mares", "mare"),
        ("haies", "haie"),
        ("abeilles", "l'abeille"),
        ("composter", "compost"),
        ("hérissons", "herisson"),
        ("oiseaux", "oiseau"),
        ("naturel", "naturelle"),
        ("Écureuil", "ecureuil"),
        ("L’Abeille", "abeille"),
    ],
)
def test_inflections_and_accents_give_the_same_terms(a, b):
    assert terms(a) == terms(b) != []


def test_stop_words_and_elisions_are_removed():
    assert normalize("Les abeilles de l'étang et du jardin") == "abeil etang jardin"
    assert terms("le la les du de") == []


def test_fold_removes_accents_and_case():
    assert fold("Hérisson d'Europe") == "herisson  europe"


def test_query_terms_keeps_the_word_for_display_and_drops_duplicates():
    assert query_terms("Mares mare hérissons") == [("mar", "mares"), ("herisson", "herissons")]


def test_clean_query_bounds_length_and_lines():
    assert clean_query("a\n\tb  c") == "a b c"
    assert len(clean_query("x" * 1000)) == 200


def test_edits1_contains_deletes_inserts_replaces_and_transposes():
    candidates = edits1("herison")
    assert {"herisson", "heriso", "herisno", "harison"} <= candidates
    assert "herison" not in candidates


def test_highlight_escapes_and_marks_matching_words_only():
    html = highlight("<b>Les abeilles</b> & le jardin", set(terms("abeille")))
    assert html == "&lt;b&gt;Les <mark>abeilles</mark>&lt;/b&gt; &amp; le jardin"


@given(st.text(max_size=300))
def test_normaliser_never_fails_and_yields_safe_terms(text):
    for term in terms(text):
        assert term.isalnum() and term.isascii()
    for term, word in query_terms(text):
        assert term.isascii() and word.isascii()
    assert "<" not in highlight(text, {"a"}).replace("<mark>", "").replace("</mark>", "")


def test_engine_headline_is_escaped_and_marked():
    from biodiversitheque.search.text import headline_html

    assert headline_html("Les \x02abeilles\x03 <b>sauvages</b>") == "Les <mark>abeilles</mark> &lt;b&gt;sauvages&lt;/b&gt;"


@pytest.mark.parametrize(
    ("derived", "root"),
    [
        ("compostage", "compost"),
        ("composteur", "composter"),
        ("lombricompostage", "lombricompost"),
        ("lombricomposteur", "lombricompost"),
        ("paillage", "pailler"),
        ("jardinage", "jardin"),
    ],
)
def test_derivations_meet_their_root(derived, root):
    assert terms(derived) == terms(root)


@pytest.mark.parametrize(("word", "other"), [("mare", "marais"), ("mares", "marais"), ("mare", "mars"), ("passage", "passer")])
def test_stem_exceptions_and_short_roots_keep_words_apart(word, other):
    assert terms(word) != terms(other)


def test_distance_at_most_two_counts_edits_and_transpositions():
    from biodiversitheque.search.text import distance_at_most_two

    assert distance_at_most_two("herrison", "herisson")  # one letter doubled, one missing
    assert distance_at_most_two("lombircompost", "lombricompost")  # one transposition
    assert not distance_at_most_two("herrisson", "hirondel")
    assert not distance_at_most_two("abcdefgh", "abcdefghijk")
