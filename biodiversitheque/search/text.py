"""French text normalisation shared by indexing and querying, identical on every engine.

A word becomes a *term*: lowercased, accents folded, elision removed (l', d', qu'…), stop words dropped,
final plural s/x removed, then the Snowball French stemmer, then derivation endings Snowball keeps (-age, -eur,
-ion, -ement) so that "compostage" and "composteur" meet "compost". "Les abeilles" and "l'abeille" both give "abeil".
Words of STEM_EXCEPTIONS keep a term of their own ("marais" is not "mare").
"""

import re
from functools import lru_cache

import snowballstemmer
from unidecode import unidecode

# Snowball's French stop list, folded, plus a few words that carry no meaning in a search box.
STOP_WORDS = frozenset(
    """
    a au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me meme mes moi mon
    ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l
    m n s t y ete etee etees etes etant suis es est sommes etes sont serai seras sera serons serez seront serais serait
    serions seriez seraient etais etait etions etiez etaient fus fut fumes futes furent sois soit soyons soyez soient
    fusse fusses fut fussions fussiez fussent ayant eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez
    auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eumes eutes eurent aie aies ait
    ayons ayez aient eusse eusses eut eussions eussiez eussent ceci cela celle celles celui ceux cet cette comme comment
    dont elles lorsque jusque puisque quand quel quelle quelles quels quoi sans si sous tout toute toutes tous tres
    plus moins bien faire peut
    """.split()
)
# Words kept even though they look like stop words in other contexts (none yet): keep the list explicit.
WORD_RE = re.compile(r"[a-z0-9]+")
RAW_WORD_RE = re.compile(r"\w+", re.UNICODE)
ELISION_RE = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’ʼ`´]", re.IGNORECASE)
MAX_QUERY_LENGTH = 200
MIN_TYPO_LENGTH = 5
MIN_TWO_TYPOS_LENGTH = 8  # from this length a word may be two edits away from the one meant

# Words Snowball would merge with a different word: folded word -> its own term.
STEM_EXCEPTIONS = {
    "marais": "marais",  # Snowball: "mar", like "mare"
    "mars": "mars",  # the month, not the ponds
}
# Endings Snowball leaves on derived nouns, removed when at least MIN_ROOT_LENGTH letters remain.
DERIVATION_ENDINGS = ("ement", "ion", "eur", "ag")
MIN_ROOT_LENGTH = 5

_stemmer = snowballstemmer.stemmer("french")


class _AsciiTable(dict):
    """str.translate() table giving each character unidecode's ASCII form, computed once per character."""

    def __missing__(self, code):
        self[code] = value = chr(code) if code < 128 else unidecode(chr(code))
        return value


_ASCII = _AsciiTable()


def fold(text):
    """Lowercase ASCII without accents or elisions: "L'Écureuil" -> "ecureuil"."""
    text = ELISION_RE.sub(" ", text or "")
    # Same as unidecode(text), which maps character by character, but the loop runs in C.
    return (text if text.isascii() else text.translate(_ASCII)).lower()


def words(text):
    """Folded words, stop words included (titles for autocomplete)."""
    return WORD_RE.findall(fold(text))


@lru_cache(maxsize=50_000)
def stem(word):
    """Term of one folded word."""
    if word in STEM_EXCEPTIONS:
        return STEM_EXCEPTIONS[word]
    if len(word) > 3 and word[-1] in "sx" and word[-2] != "s":
        word = word[:-1]  # plural first: Snowball turns "herissons" into "her" but "herisson" into "herisson"
    term = _stemmer.stemWord(word)
    for ending in DERIVATION_ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_ROOT_LENGTH:
            return term[: -len(ending)]
    return term


def terms(text):
    """The terms of a text, in order, stop words removed."""
    return [term for term in map(_term_of_word, words(text)) if term]


@lru_cache(maxsize=200_000)
def _term_of_word(word):
    """Term of one folded word, "" for a stop word (indexing asks this for every word of every text)."""
    if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
        return ""
    return stem(word)


@lru_cache(maxsize=100_000)
def token_terms(token):
    """terms() of one token of a text, cached (indexing looks up every word of every text)."""
    return tuple(terms(token))


@lru_cache(maxsize=100_000)
def word_term(word):
    """Term of one word as written in a text ("" for a stop word): highlighting looks at every word shown."""
    found = terms(word)
    return found[0] if found else ""


def normalize(text):
    return " ".join(terms(text))


def clean_query(raw):
    """What we keep of a query typed by a person: a bounded, single-line string."""
    return " ".join(str(raw or "").split())[:MAX_QUERY_LENGTH]


def query_terms(raw):
    """Distinct terms of a query, in order, with the folded word each came from."""
    seen = {}
    for word in words(clean_query(raw)):
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        seen.setdefault(stem(word), word)
    return [(term, word) for term, word in seen.items()][:12]


def edits1(word):
    """Every string at Damerau-Levenshtein distance 1 (Norvig's method)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in letters]
    inserts = [a + c + b for a, b in splits for c in letters]
    return set(deletes + transposes + replaces + inserts) - {word}


def distance_at_most_one(a, b):
    return a == b or b in edits1(a) if abs(len(a) - len(b)) <= 1 else False


def distance_at_most_two(a, b):
    """Optimal string alignment distance of a and b is 2 or less (one transposition counts as one edit)."""
    if abs(len(a) - len(b)) > 2:
        return False
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > 2:
            return False
        previous2, previous = previous, current
    return previous[-1] <= 2


def highlight(text, query_term_set, max_chars=None):
    """Escaped text with the words matching the query wrapped in <mark>; None markup comes from `text`."""
    from django.utils.html import escape

    text = text or ""
    if max_chars and len(text) > max_chars:
        text = excerpt(text, query_term_set, max_chars)
    parts, last = [], 0
    for match in RAW_WORD_RE.finditer(text):
        if word_term(match.group()) in query_term_set:
            parts.append(escape(text[last : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


# Accented forms of the letters a term may start with: words whose start folds to a term's start.
LETTER_FORMS = {"a": "aàâä", "c": "cç", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "y": "yÿ"}


@lru_cache(maxsize=1000)
def _candidate_words(query_terms):
    """Regex of the words that may give one of the terms (same first letters, any accent), or None."""
    parts = []
    for term in query_terms:
        if "oe" in term[:4] or "ae" in term[:4]:
            return None  # œ, æ: one letter of the text for two of the term; scan every word instead
        parts.append("".join(f"[{LETTER_FORMS[c]}]" if c in LETTER_FORMS else re.escape(c) for c in term[:3]))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")\w*", re.IGNORECASE) if parts else None


def first_match(text, query_term_set):
    """Start of the first word of `text` giving a query term, or None. Only likely words are stemmed."""
    candidates = _candidate_words(tuple(sorted(query_term_set)))
    for pattern in ((candidates, RAW_WORD_RE) if candidates else (RAW_WORD_RE,)):
        for match in pattern.finditer(text):
            if word_term(match.group()) in query_term_set:
                return match.start()
    return None


def excerpt(text, query_term_set, max_chars=240):
    """A window of `text` around the first matching word."""
    text = " ".join((text or "").split())
    if len(text) <= max_chars:
        return text
    start = 0
    found = first_match(text, query_term_set)
    if found is not None:
        start = max(0, found - max_chars // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    chunk = text[start : start + max_chars]
    if start + max_chars < len(text):
        chunk = chunk.rsplit(" ", 1)[0] + " …"
    return ("… " if start else "") + chunk


def headline_html(headline):
    """HTML of an engine excerpt whose matches are wrapped in \\x02…\\x03 (PostgreSQL ts_headline)."""
    from django.utils.html import escape

    text = " ".join((headline or "").split())
    return escape(text).replace("\x02", "<mark>").replace("\x03", "</mark>")
