"""Import guides, inventories and trainings from a spreadsheet saved as CSV.

The whole file is read (biodiversitheque.core.csvio) and validated first; only a file without errors is written, in one transaction.
Rows are matched to existing resources by slug, so importing a file twice updates instead of duplicating.
"""

import datetime
import re
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from unidecode import unidecode
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision, Site
from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update

from biodiversitheque.core.csvio import CsvError, header_key, read_csv
from biodiversitheque.core.models import Audience, Theme
from biodiversitheque.core.shell import invalidate as invalidate_page_shell
from biodiversitheque.core.sites import ensure_site_structure
from biodiversitheque.search.services import index_new
from ressources.choices import GUIDE_COST_CHOICES, GUIDE_DIFFICULTY_CHOICES, TRAINING_FORMAT_CHOICES

from .models import RESOURCE_MODEL_BY_TYPE, GuidePage, InventoryPage, ResourceIndexPage, ResourcePage, TrainingPage

REQUIRED_COLUMNS = ("type", "titre", "resume", "texte", "themes", "public")
RESOURCE_TYPES = tuple(RESOURCE_MODEL_BY_TYPE)
TYPE_LABELS = {"guide": "un guide", "inventaire": "un inventaire", "formation": "une formation"}
TITLE_MAX = Page._meta.get_field("title").max_length
SLUG_MAX = Page._meta.get_field("slug").max_length
SUMMARY_MAX = 400
THEME_NAME_MAX = Theme._meta.get_field("name").max_length
# Other spellings people put in the header row.
HEADER_ALIASES = {
    "theme": "themes",
    "publics": "public",
    "titre_de_la_ressource": "titre",
    "identifiant": "slug",
}


class ImportRefused(Exception):
    """The file was refused; `errors` lists (line, message) pairs, line 1 being the header row."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda error: error[0])
        super().__init__("; ".join(f"ligne {line} : {message}" for line, message in self.errors))


@dataclass
class ImportResult:
    dry_run: bool
    total: int = 0
    created: list = field(default_factory=list)  # titles
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    created_themes: list = field(default_factory=list)  # theme names
    warnings: list = field(default_factory=list)  # (line, message)


@dataclass
class ResourceRow:
    """One valid line of the file, ready to be written."""

    line: int
    type: str
    title: str
    slug: str
    values: dict  # model field -> value (summary, body and the optional columns present in the file)
    theme_keys: list
    audiences: list
    page: Page | None = None  # the existing resource this row updates
    changed: bool = True


def term_key(value):
    """Case- and accent-free key of a theme, an audience or a choice ("Zones humides" -> "zones-humides")."""
    return slugify(unidecode(value or ""))


def _type_aliases():
    """ "guide", "guides", "Guide citoyen", "inventaires naturalistes"… -> the type key."""
    aliases = {}
    for key, model in RESOURCE_MODEL_BY_TYPE.items():
        for name in (key, f"{key}s", str(model._meta.verbose_name), str(model._meta.verbose_name_plural)):
            aliases[slugify(unidecode(name))] = key
    return aliases


def clean_text(value):
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def text_to_paragraphs(text):
    """Paragraphs separated by blank lines, as escaped HTML; single newlines become <br>."""
    text = clean_text(text)
    if not text:
        return []
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return [
        "<p>" + "<br>".join(escape(line.strip()) for line in block.split("\n")) + "</p>" for block in blocks
    ]


# Optional columns -----------------------------------------------------------------------------------
# Each parser takes the cell text and returns the model value, or raises ValueError with a French reason.


def text_parser(max_length=None):
    def parse(value):
        value = clean_text(value)
        if max_length and len(value) > max_length:
            raise ValueError(f"texte trop long ({len(value)} caractères, {max_length} au maximum)")
        return value

    return parse


def choice_parser(choices, default=""):
    """Accept the stored value or its label, loosely spelled ("Intermédiaire" or "moyen")."""
    known = {}
    for key, label in choices:
        known[term_key(key)] = key
        known[term_key(str(label))] = key

    def parse(value):
        if not clean_text(value):
            return default
        try:
            return known[term_key(value)]
        except KeyError:
            expected = ", ".join(key for key, _label in choices)
            raise ValueError(f"valeur « {clean_text(value)} » inconnue (attendu : {expected})") from None

    return parse


DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), lambda m: (m[3], m[2], m[1])),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), lambda m: (m[1], m[2], m[3])),
)


def parse_date(value):
    value = clean_text(value)
    if not value:
        return None
    for pattern, parts in DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            year, month, day = (int(part) for part in parts(match))
            try:
                return datetime.date(year, month, day)
            except ValueError:
                break
    raise ValueError(f"date « {value} » invalide (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)")


def parse_rich_text(value):
    return "".join(text_to_paragraphs(value))


def field_max_length(model, name):
    return model._meta.get_field(name).max_length


@dataclass(frozen=True)
class OptionalColumn:
    field: str
    types: tuple
    parse: object


OPTIONAL_COLUMNS = {
    "slug": OptionalColumn("slug", RESOURCE_TYPES, text_parser()),
    "difficulte": OptionalColumn(
        "difficulty", ("guide",), choice_parser(GUIDE_DIFFICULTY_CHOICES, default="facile")
    ),
    "duree": OptionalColumn(
        "duration", ("guide", "formation"), text_parser(field_max_length(GuidePage, "duration"))
    ),
    "saison": OptionalColumn("season", ("guide",), text_parser(field_max_length(GuidePage, "season"))),
    "cout": OptionalColumn("cost", ("guide",), choice_parser(GUIDE_COST_CHOICES)),
    "lieu": OptionalColumn("place", ("inventaire",), text_parser(field_max_length(InventoryPage, "place"))),
    "date_debut": OptionalColumn("period_start", ("inventaire",), parse_date),
    "date_fin": OptionalColumn("period_end", ("inventaire",), parse_date),
    "observateurs": OptionalColumn("observers", ("inventaire",), text_parser()),
    "objectifs": OptionalColumn("objectives", ("formation",), parse_rich_text),
    "prerequis": OptionalColumn("prerequisites", ("formation",), parse_rich_text),
    "format": OptionalColumn(
        "training_format", ("formation",), choice_parser(TRAINING_FORMAT_CHOICES, default="presentiel")
    ),
}
KNOWN_COLUMNS = REQUIRED_COLUMNS + tuple(OPTIONAL_COLUMNS)
# The shared reader's header keys ("datedebut") back to the documented column names ("date_debut").
COLUMN_BY_KEY = {header_key(name): name for name in KNOWN_COLUMNS} | {
    header_key(alias): name for alias, name in HEADER_ALIASES.items()
}
TYPE_ALIASES = _type_aliases()


# Reading ------------------------------------------------------------------------------------------


def read_table(source):
    """Read the file (shared CSV reader) into (line, {column: cell}) records plus header warnings."""
    try:
        table = read_csv(Path(source) if isinstance(source, (str, Path)) else source)
    except CsvError as error:
        raise ImportRefused([(error.line, str(error))]) from None
    try:
        records = [(1, table.headers), *table.rows()]
    except CsvError as error:
        raise ImportRefused([(error.line, f"fichier CSV illisible ({error})")]) from None
    finally:
        table.close()
    delimiter = table.delimiter

    _line, header = records[0]
    columns = [COLUMN_BY_KEY.get(key, key) for key in table.keys]
    errors, warnings = [], []
    seen = set()
    for raw_name, column in zip(header, columns):
        if not column:
            continue
        if column in seen:
            errors.append((1, f"colonne « {raw_name.strip()} » présente deux fois"))
        seen.add(column)
        if column not in KNOWN_COLUMNS:
            warnings.append((1, f"colonne « {raw_name.strip()} » inconnue, ignorée"))
    for column in REQUIRED_COLUMNS:
        if column not in seen:
            errors.append(
                (
                    1,
                    f"colonne obligatoire « {column} » absente "
                    f"(colonnes attendues : {', '.join(REQUIRED_COLUMNS)})",
                )
            )
    if errors:
        raise ImportRefused(errors)

    rows = []
    for line, cells in records[1:]:
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            errors.append(
                (
                    line,
                    f"{len(cells)} cellules pour {len(columns)} colonnes (un « {delimiter} » non protégé par "
                    "des guillemets dans un texte ?)",
                )
            )
            continue
        rows.append((line, {column: cell for column, cell in zip(columns, cells) if column in KNOWN_COLUMNS}))
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([(1, "le fichier ne contient aucune ressource après la ligne d'en-tête")])
    return rows, columns, warnings


# Validating ---------------------------------------------------------------------------------------


def find_resource_index():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return ResourceIndexPage.objects.child_of(site.root_page).first() if site else None


class Plan:
    """The validated rows, the themes to create and the warnings; raises ImportRefused on any error."""

    def __init__(self, records, columns, warnings):
        self.columns = set(columns)
        self.warnings = list(warnings)
        self.errors = []
        self.rows = []
        self.themes = {}  # key -> Theme (existing) or None (to create)
        self.new_theme_names = {}  # key -> name, in order of appearance
        self._load_taxonomy()
        titles, slugs = {}, {}
        for line, cells in records:
            row = self._validate_row(line, cells)
            title = " ".join(clean_text(cells.get("titre")).split())
            title_key = " ".join(unidecode(title).casefold().split())
            if title_key and title_key in titles:
                self.errors.append((line, f"titre « {title} » déjà présent ligne {titles[title_key]}"))
                continue
            titles.setdefault(title_key, line)
            if row is None:
                continue
            if row.slug in slugs:
                self.errors.append(
                    (line, f"identifiant (slug) « {row.slug} » déjà utilisé ligne {slugs[row.slug]}")
                )
                continue
            slugs[row.slug] = line
            self.rows.append(row)
        if not self.errors:
            self._match_existing_pages()
        if self.errors:
            raise ImportRefused(self.errors)

    def _load_taxonomy(self):
        for theme in Theme.objects.all():
            self.themes.setdefault(theme.slug, theme)
            self.themes.setdefault(term_key(theme.name), theme)
        self.audiences = {}
        audiences = list(Audience.objects.all())
        for audience in audiences:
            self.audiences.setdefault(audience.slug, audience)
            self.audiences.setdefault(term_key(audience.name), audience)
        self.accepted_audiences = ", ".join(audience.name.lower() for audience in audiences)

    def _find_audience(self, key):
        # "élu", "habitant": singular forms of the plural names and slugs.
        for candidate in (key, f"{key}s", key.removesuffix("s")):
            if candidate in self.audiences:
                return self.audiences[candidate]
        return None

    def _validate_row(self, line, cells):
        errors = []

        def cell(column):
            return clean_text(cells.get(column, ""))

        type_ = TYPE_ALIASES.get(term_key(cell("type")), "")
        if not type_:
            raw = cell("type")
            expected = ", ".join(RESOURCE_TYPES)
            errors.append(
                f"type « {raw} » inconnu (attendu : {expected})"
                if raw
                else f"type vide (attendu : {expected})"
            )
        title = " ".join(cell("titre").split())
        if not title:
            errors.append("titre vide")
        elif len(title) > TITLE_MAX:
            errors.append(f"titre trop long ({len(title)} caractères, {TITLE_MAX} au maximum)")
        summary = " ".join(cell("resume").split())
        if len(summary) > SUMMARY_MAX:
            errors.append(f"résumé trop long ({len(summary)} caractères, {SUMMARY_MAX} au maximum)")
        slug = slugify(unidecode(cell("slug") or title))[:SLUG_MAX].strip("-")
        if title and not slug:
            errors.append("impossible de tirer un identifiant du titre : renseignez la colonne slug")

        theme_keys = []
        for name in split_list(cells.get("themes", "")):
            key = term_key(name)
            if not key:
                continue
            if len(name) > THEME_NAME_MAX:
                errors.append(
                    f"thème « {name[:40]}… » trop long ({len(name)} caractères, {THEME_NAME_MAX} au maximum)"
                )
                continue
            if key not in self.themes:
                self.themes[key] = None
                self.new_theme_names[key] = name[:1].upper() + name[1:]
            if key not in theme_keys:
                theme_keys.append(key)
        audiences = []
        for name in split_list(cells.get("public", "")):
            audience = self._find_audience(term_key(name))
            if audience is None:
                errors.append(f"public « {name} » inconnu (valeurs acceptées : {self.accepted_audiences})")
            elif audience not in audiences:
                audiences.append(audience)

        values = {"summary": summary, "body": text_to_paragraphs(cells.get("texte", ""))}
        for column, spec in OPTIONAL_COLUMNS.items():
            if column == "slug" or column not in self.columns:
                continue
            if type_ in RESOURCE_TYPES and type_ not in spec.types:
                if cell(column):
                    self.warnings.append((line, f"colonne « {column} » ignorée pour {TYPE_LABELS[type_]}"))
                continue
            try:
                values[spec.field] = spec.parse(cells.get(column, ""))
            except ValueError as error:
                errors.append(f"{column} : {error}")
        start, end = values.get("period_start"), values.get("period_end")
        if start and end and end < start:
            errors.append(f"date_fin ({end:%d/%m/%Y}) antérieure à date_debut ({start:%d/%m/%Y})")

        if errors:
            self.errors.extend((line, message) for message in errors)
            return None
        return ResourceRow(line, type_, title, slug, values, theme_keys, audiences)

    def _match_existing_pages(self):
        index = find_resource_index()
        if index is None:
            return
        by_slug = {row.slug: row for row in self.rows}
        existing = (
            Page.objects.child_of(index)
            .filter(slug__in=by_slug)
            .specific()
            .prefetch_related("themes", "audiences")
        )
        for page in existing:
            row = by_slug[page.slug]
            model = RESOURCE_MODEL_BY_TYPE[row.type]
            if type(page) is not model:
                self.errors.append(
                    (
                        row.line,
                        f"une ressource d'identifiant « {row.slug} » existe déjà, mais c'est "
                        f"{TYPE_LABELS.get(page.resource_type, page._meta.verbose_name)}, pas "
                        f"{TYPE_LABELS[row.type]} : changez le titre ou "
                        "renseignez la colonne slug",
                    )
                )
                continue
            row.page = page
            row.changed = self._differs(row, page)

    def _differs(self, row, page):
        if page.title != row.title:
            return True
        for name, value in row.values.items():
            current = getattr(page, name)
            if name == "body":
                current = [getattr(block.value, "source", None) for block in current]
            if current != value:
                return True
        theme_ids = {getattr(self.themes[key], "pk", None) for key in row.theme_keys}
        if theme_ids != {theme.pk for theme in page.themes.all()}:
            return True
        return {audience.pk for audience in row.audiences} != {
            audience.pk for audience in page.audiences.all()
        }


def split_list(value):
    """Items of a themes or audiences cell, separated by ";" (or "," when typed that way)."""
    return [" ".join(item.split()) for item in re.split(r"[;,\n]", value or "") if item.strip()]


# Writing ------------------------------------------------------------------------------------------


def import_resources(source, dry_run=False, progress=None):
    """Validate the whole file, then (unless dry_run) create or update every resource in one transaction.

    `source` is a path or a file object (bytes or text). `progress(done, total)` is called every 100 rows
    and at the end. Raises ImportRefused, with nothing written, when any line is wrong.
    """
    records, columns, warnings = read_table(source)
    with transaction.atomic():
        plan = Plan(records, columns, warnings)
        result = ImportResult(dry_run=dry_run, total=len(plan.rows), warnings=plan.warnings)
        result.created_themes = list(plan.new_theme_names.values())
        if not dry_run:
            _write(plan, progress)
        for row in plan.rows:
            if row.page is None:
                result.created.append(row.title)
            elif row.changed:
                result.updated.append(row.title)
            else:
                result.unchanged.append(row.title)
    return result


def _write(plan, progress):
    home = ensure_site_structure()
    # Locked: two imports (or an editor adding a resource) must not compute the same tree paths.
    index = ResourceIndexPage.objects.select_for_update().child_of(home).get()
    themes = dict(plan.themes)
    for key, name in plan.new_theme_names.items():
        theme = Theme(name=name, slug=key[: Theme._meta.get_field("slug").max_length])
        theme.save()
        themes[key] = theme
    total = len(plan.rows)
    new_rows = [row for row in plan.rows if row.page is None]
    written = defaultdict(list)  # model -> page ids
    models = list(RESOURCE_MODEL_BY_TYPE.values())
    # Each page is saved three times (creation, revision, publication): index it once, at the end.
    with disable_reference_index_auto_update(), search_index_deferred(models):
        created = bulk_create_pages(new_rows, index, themes, progress, total)
        for page in created:
            written[type(page)].append(page.pk)
        done = len(new_rows)
        for row in plan.rows:
            if row.page is None:
                continue
            done += 1
            try:
                page = _write_row(row, index, themes)
            except ValidationError as error:
                # Our validation should have caught it; refuse the whole file rather than half-import it.
                messages = "; ".join(error.messages)
                raise ImportRefused([(row.line, f"enregistrement impossible ({messages})")]) from None
            if page is not None:
                ReferenceIndex.create_or_update_for_object(page)
                written[type(page)].append(page.pk)
            if progress and (done % 100 == 0 or done == total):
                progress(done, total)
    for model, ids in written.items():
        pages = list(model.get_indexed_objects().filter(pk__in=ids))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, pages)
    if created:
        # page_published is not sent for bulk-created pages: do what its receivers would do for resources.
        # New pages are live; they are public when their parent is (one check for all of them).
        if not index.get_view_restrictions().exists():
            index_new(created, visible=True)
        invalidate_page_shell()


@contextmanager
def search_index_deferred(models):
    """Stop indexing these page models on every save; the caller indexes what it wrote.

    Signals are process-wide: only for the import command's own process, never inside a web request.
    """
    disconnected = [model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)]
    try:
        yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)


def _apply_row(page, row, themes):
    """The row's fields, themes and audiences on the page (bodies become paragraph blocks)."""
    for name, value in row.values.items():
        if name == "body":
            value = [("paragraph", RichText(html)) for html in value]
        setattr(page, name, value)
    page.themes.set([themes[key] for key in row.theme_keys])
    page.audiences.set(row.audiences)


def _write_row(row, index, themes):
    """Create or update the row's page and publish it; None when nothing changed."""
    if row.page is not None and not row.changed:
        return None
    page = row.page or RESOURCE_MODEL_BY_TYPE[row.type](slug=row.slug)
    page.title = row.title
    _apply_row(page, row, themes)
    if row.page is None:
        index.add_child(instance=page)
    # Already validated, and add_child has just run full_clean.
    page.save_revision(clean=False).publish()
    return page


# Bulk creation of new pages ----------------------------------------------------------------------------
# Wagtail creates a page with add_child(), save_revision() and publish(): about forty queries and three saves
# per page. A first import creates the same rows in a few bulk inserts: tree paths computed here (treebeard's
# materialised path: the parent's path plus a 4-character step), one insert per table of the multi-table
# inheritance (Page, ResourcePage, the specific model), a revision per page holding the page serialised as
# save_revision() would, then live_revision and latest_revision set as publish() would.


def bulk_create_pages(rows, index, themes, progress=None, total=0):
    """Create and publish one page per row under `index`; returns the pages (specific instances)."""
    if not rows:
        return []
    now = timezone.now()
    last = index.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    content_types = {model: ContentType.objects.get_for_model(model) for model in RESOURCE_MODEL_BY_TYPE.values()}
    pages, contents, references = [], [], []
    for number, row in enumerate(rows):
        model = RESOURCE_MODEL_BY_TYPE[row.type]
        page = model(
            title=row.title, draft_title=row.title, slug=row.slug, content_type=content_types[model],
            path=Page._get_path(index.path, index.depth + 1, step + number), depth=index.depth + 1, numchild=0,
            url_path=f"{index.url_path}{row.slug}/", locale_id=index.locale_id, live=True,
            has_unpublished_changes=False, first_published_at=now, last_published_at=now,
            latest_revision_created_at=now,
        )
        # Themes and audiences in memory only (the page is not saved yet): serializable_data() reads them.
        _apply_row(page, row, themes)
        try:
            # Field checks only: slugs were checked against the siblings, and foreign keys are ours.
            page.clean_fields(exclude=PAGE_FIELDS_SET_HERE)
        except ValidationError as error:
            raise ImportRefused([(row.line, f"enregistrement impossible ({'; '.join(error.messages)})")]) from None
        # Before the insert: unsaved, the page answers from memory instead of querying its child relations.
        contents.append(page.serializable_data())
        references.append(set(ReferenceIndex._extract_references_from_object(page)))
        pages.append(page)
        if progress and len(pages) % 100 == 0 and len(pages) < len(rows):
            progress(len(pages), total)
    _insert_multi_table(pages)
    _insert_taxonomy(pages)
    if progress:
        progress(len(pages), total)

    page_type = ContentType.objects.get_for_model(Page)
    for page, content in zip(pages, contents, strict=True):
        content.update({key: page.pk for key in ("pk", "id", "page_ptr", "resourcepage_ptr") if key in content})
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type_id=page.content_type_id, base_content_type=page_type, object_id=str(page.pk),
                created_at=now, content=content, object_str=str(page),
            )
            for page, content in zip(pages, contents, strict=True)
        ],
        batch_size=BULK_BATCH,
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    Page.objects.bulk_update(
        [Page(pk=page.pk, latest_revision_id=page.latest_revision.pk, live_revision_id=page.live_revision.pk)
         for page in pages],
        ["latest_revision", "live_revision"],
        batch_size=BULK_BATCH,
    )
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                page_id=page.pk, content_type_id=page.content_type_id, label=page.get_admin_display_title(),
                action=action, revision=revision, timestamp=now, content_changed=action == "wagtail.publish",
            )
            for page, revision in zip(pages, revisions, strict=True)
            for action in ("wagtail.create", "wagtail.publish")
        ],
        batch_size=BULK_BATCH,
    )
    _insert_references(pages, references, page_type)
    Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(pages))
    index.numchild += len(pages)
    return pages


BULK_BATCH = 200
PAGE_FIELDS_SET_HERE = [
    "path", "depth", "numchild", "url_path", "content_type", "locale", "listing_image", "owner",
    "latest_revision", "live_revision", "alias_of", "translation_key",
]


def _insert_multi_table(pages):
    """One insert per table, parent first: Django's bulk_create refuses multi-table inheritance."""
    bases = [Page(**{field.attname: getattr(page, field.attname) for field in Page._meta.concrete_fields})
             for page in pages]
    Page.objects.bulk_create(bases, batch_size=BULK_BATCH)
    for page, base in zip(pages, bases, strict=True):
        page.pk = page.id = base.pk
        page.page_ptr_id = page.resourcepage_ptr_id = base.pk
        page._state.adding, page._state.db = False, base._state.db
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for model in (ResourcePage, *by_model):
        objects = pages if model is ResourcePage else by_model[model]
        fields = model._meta.local_concrete_fields
        # QuerySet._insert is what bulk_create itself calls for one table; here for each table of the chain.
        for start in range(0, len(objects), BULK_BATCH):
            model._base_manager._insert(objects[start : start + BULK_BATCH], fields=fields)


def _insert_taxonomy(pages):
    """The themes and audiences set in memory on each page, as rows of their link tables."""
    for name in ("themes", "audiences"):
        field = ResourcePage._meta.get_field(name)
        through = field.remote_field.through
        own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        links = [through(**{own: page.pk, other: term.pk}) for page in pages for term in getattr(page, name).all()]
        through.objects.bulk_create(links, batch_size=BULK_BATCH)


def _insert_references(pages, references, page_type):
    """What ReferenceIndex.create_or_update_for_object() writes for a new object, for all pages at once."""
    rows = [
        ReferenceIndex(
            content_type_id=page.content_type_id, base_content_type=page_type, object_id=page.pk,
            to_content_type_id=to_content_type_id, to_object_id=to_object_id, model_path=model_path,
            content_path=content_path, content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
        )
        for page, found in zip(pages, references, strict=True)
        for to_content_type_id, to_object_id, model_path, content_path in found
    ]
    ReferenceIndex.objects.bulk_create(rows, batch_size=BULK_BATCH)
