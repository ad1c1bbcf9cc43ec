"""The structural checks themselves: each catches what it is meant to catch."""

from tests.html_checks import accessibility_problems

PAGE = '<html lang="fr"><body><a class="skip-link" href="#contenu">Aller</a><main id="contenu"><h1>T</h1>{}</main>'
WRAPPED = '<div class="table-wrapper" role="region" tabindex="0" aria-labelledby="l">{}</div>'
TABLE = '<table><caption id="l">Espèces</caption><tr><th scope="col">{}</th></tr><tr><td>1</td></tr></table>'


def test_a_wrapped_table_with_named_headers_passes():
    assert accessibility_problems(PAGE.format(WRAPPED.format(TABLE.format("Groupe")))) == []


def test_an_empty_or_hidden_header_is_reported():
    for header in ("", '<span aria-hidden="true">Part</span>'):
        problems = accessibility_problems(PAGE.format(WRAPPED.format(TABLE.format(header))))
        assert problems == ["1 en-tête(s) de tableau <th> vide(s)"]


def test_a_table_outside_a_named_focusable_scroll_region_is_reported():
    for wrapper in ("{}", '<div class="table-wrapper">{}</div>', '<div class="table-wrapper" role="region">{}</div>'):
        problems = accessibility_problems(PAGE.format(wrapper.format(TABLE.format("Groupe"))))
        assert problems == ["tableau <table class=None> hors d'une zone défilante nommée"]
