"""LongSelect: the HTML of Django's Select, without a template per option."""

import re

from django import forms

from biodiversitheque.core.forms import LongSelect

CHOICES = [("", "— Choisir —"), (1, "Les Amis des mares & <haies>"), (2, "Nature en ville")]


def _normalised(html):
    """Tags with their attributes sorted (the two widgets write them in another order), no whitespace between."""
    def tag(match):
        name, attributes = match.group(1), sorted(re.findall(r'[\w-]+(?:="[^"]*")?', match.group(2)))
        return f"<{name} {' '.join(attributes)}>"

    return re.sub(r"<(select|option)([^>]*)>", tag, re.sub(r">\s+<", "><", html.strip()))


def test_long_select_writes_what_djangos_select_writes():
    attrs = {"id": "id_association", "aria-invalid": "true", "aria-describedby": "id_association_error"}
    for value in (None, "", "2", 2):
        expected = forms.Select(choices=CHOICES).render("association", value, attrs)
        assert _normalised(LongSelect(choices=CHOICES).render("association", value, attrs)) == _normalised(expected)


def test_long_select_escapes_labels_and_marks_the_chosen_option():
    html = LongSelect(choices=CHOICES).render("association", "1", {"id": "id_association"})
    assert "&amp; &lt;haies&gt;" in html
    assert '<option value="1" selected>' in html
    assert html.count("selected") == 1
