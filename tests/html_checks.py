"""Small structural accessibility checks on rendered HTML (standard library parser, no browser)."""

from html.parser import HTMLParser

FIELD_TAGS = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []  # (tag, attrs dict)
        self.h1_count = 0
        self.header_texts = []  # what assistive technologies read of each <th>
        self._in_th = False
        self._hidden_depth = 0  # open elements inside an aria-hidden one, within the current <th>

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "h1":
            self.h1_count += 1
        if tag == "th":
            self._in_th, self._hidden_depth = True, 0
            self.header_texts.append("")
        elif self._in_th and (self._hidden_depth or attrs.get("aria-hidden") == "true"):
            self._hidden_depth += 1

    def handle_endtag(self, tag):
        if tag == "th":
            self._in_th = False
        elif self._in_th and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data):
        if self._in_th and not self._hidden_depth:
            self.header_texts[-1] += data.strip()


def parse(html):
    collector = _Collector()
    collector.feed(html)
    return collector


def accessibility_problems(html):
    """Return a list of French descriptions of what is wrong; empty when the page passes."""
    doc = parse(html)
    problems = []
    html_tags = [attrs for tag, attrs in doc.tags if tag == "html"]
    if not html_tags or html_tags[0].get("lang") != "fr":
        problems.append("l'élément <html> n'a pas lang=\"fr\"")
    if doc.h1_count != 1:
        problems.append(f"{doc.h1_count} titres <h1> au lieu d'un seul")
    ids = {attrs["id"] for _, attrs in doc.tags if attrs.get("id")}
    skip_targets = [attrs.get("href", "") for tag, attrs in doc.tags if tag == "a" and "skip-link" in (attrs.get("class") or "")]
    if not skip_targets:
        problems.append("pas de lien d'évitement")
    for href in skip_targets:
        if not href.startswith("#") or href[1:] not in ids:
            problems.append(f"la cible du lien d'évitement {href} n'existe pas")
    label_targets = {attrs.get("for") for tag, attrs in doc.tags if tag == "label"}
    for tag, attrs in doc.tags:
        if tag not in FIELD_TAGS or attrs.get("type") in UNLABELLED_INPUT_TYPES:
            continue
        if attrs.get("id") not in label_targets and not attrs.get("aria-label") and not attrs.get("aria-labelledby"):
            problems.append(f"champ sans étiquette : <{tag} name={attrs.get('name')!r}>")
    empty_headers = doc.header_texts.count("")
    if empty_headers:
        problems.append(f"{empty_headers} en-tête(s) de tableau <th> vide(s)")
    problems += _tables_outside_scroll_regions(doc.tags)
    return problems


def _tables_outside_scroll_regions(tags):
    """Wide data tables must scroll inside their own region (WCAG 1.4.10), which a keyboard reaches and which
    has a name: <div class="table-wrapper" role="region" tabindex="0" aria-labelledby=…> right around the table."""
    problems = []
    for position, (tag, attrs) in enumerate(tags):
        if tag != "table" or "agenda-month" in (attrs.get("class") or "").split():
            continue  # the month grid reflows into a list on a phone instead
        wrapper = tags[position - 1] if position else ("", {})
        name, wrapper_attrs = wrapper
        if not (
            name == "div"
            and "table-wrapper" in (wrapper_attrs.get("class") or "").split()
            and wrapper_attrs.get("role") == "region"
            and wrapper_attrs.get("tabindex") == "0"
            and (wrapper_attrs.get("aria-label") or wrapper_attrs.get("aria-labelledby"))
        ):
            problems.append(f"tableau <table class={attrs.get('class')!r}> hors d'une zone défilante nommée")
    return problems


def count_tags(html, tag, **attr_filters):
    """How many <tag> elements carry all the given attribute values (class matches one of its words)."""
    count = 0
    for name, attrs in parse(html).tags:
        if name != tag:
            continue
        ok = True
        for key, value in attr_filters.items():
            key = key.rstrip("_")
            actual = attrs.get(key) or ""
            if key == "class" and value not in actual.split():
                ok = False
            elif key != "class" and actual != value:
                ok = False
        count += ok
    return count
