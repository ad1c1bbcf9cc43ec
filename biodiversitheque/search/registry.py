"""Which objects the site search indexes, and how each one becomes search documents.

Each app declares its documents in a `search_documents.py` module (found like Django's admin.py):

    from biodiversitheque.search.registry import Entry, PageProvider, register

    @register
    class EventProvider(PageProvider):
        model = "ateliers.EventPage"
        kind = "evenement"
        kind_label = _("Événement")  # gettext_lazy: shown on results and facets

        def entries(self, page):
            yield self.page_entry(page, text=[page.description])

Non-page models get `post_save` / `post_delete` handling; `related` maps other models to the objects to
re-index when they change (observations of an inventory, a PDF used by a guide).
"""

import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing

logger = logging.getLogger(__name__)

_providers = {}
_labels = {}  # kind_labels() once computed (lazy translations: still in the language of each request)


@dataclass
class Entry:
    """One search document as a provider describes it."""

    kind: str
    title: str
    url: str
    summary: str = ""
    text: str = ""
    key: str = ""
    themes: list = field(default_factory=list)
    audiences: list = field(default_factory=list)
    boost: float = 1.0
    index_summary: bool = True  # False: the summary is shown but its words do not make the document match


class Provider:
    model = None  # a model class or "app_label.ModelName"
    kind = "page"
    kind_label = None  # French label of the kind (results, facets); default: the model's verbose name
    boost = 1.0
    related = {}  # {"app_label.Model": callable(instance) -> iterable of objects to re-index}
    prefetch = ()  # prefetch_related() lookups of a rebuild: what entries() reads for every object

    def queryset(self):
        """Every object to index, and only those: a rebuild does not ask is_visible() again."""
        return self.get_model()._default_manager.all()

    def rebuild_queryset(self):
        queryset = self.queryset()
        return queryset.prefetch_related(*self.prefetch) if self.prefetch else queryset

    def is_visible(self, obj):
        return True

    def entries(self, obj):
        raise NotImplementedError

    @classmethod
    def get_model(cls):
        return apps.get_model(cls.model) if isinstance(cls.model, str) else cls.model


class PageProvider(Provider):
    """Pages: only live pages outside any private section are indexed."""

    prefetch = ("themes", "audiences")

    def queryset(self):
        return self.get_model().objects.live().public().order_by("path")

    def is_visible(self, page):
        return page.live and not page.get_view_restrictions().exists()

    def page_entry(self, page, text=(), **overrides):
        values = {
            "kind": self.kind,
            "title": page.title,
            "url": page.get_url() or "",
            "summary": page.summary or page.search_description or "",
            "text": join_text(text),
            "themes": [theme.slug for theme in related(page, "themes")],
            "audiences": [audience.slug for audience in related(page, "audiences")],
            "boost": self.boost,
        }
        values.update(overrides)
        return Entry(**values)


def related(obj, name):
    """obj.<name>.all(), read straight from the rebuild's prefetch when there is one: modelcluster builds a
    queryset for each call otherwise (a tenth of a rebuild's time)."""
    prefetched = getattr(obj, "_prefetched_objects_cache", {})
    if name in prefetched and not getattr(obj, "_cluster_related_objects", None):
        return prefetched[name]
    return getattr(obj, name).all()


def register(provider_class):
    """Class decorator: index the provider's model (a string model label is ignored while that model is missing)."""
    try:
        model = provider_class.get_model()
    except LookupError:
        logger.debug("Recherche : modèle %s absent, fournisseur ignoré", provider_class.model)
        return provider_class
    _providers[model] = provider_class()
    _labels.clear()
    return provider_class


def autodiscover():
    autodiscover_modules("search_documents")


def providers():
    return dict(_providers)


def kind_labels():
    """{kind: label} of the registered providers, in registration order; the first label of a kind wins."""
    if not _labels:
        for model, provider in _providers.items():
            _labels.setdefault(provider.kind, provider.kind_label or capfirst(model._meta.verbose_name))
    return dict(_labels)


def kind_choices():
    """Choices of the search form's type filter (callable: the providers register after the forms load)."""
    return list(kind_labels().items())


def provider_for(obj):
    for klass in type(obj).__mro__:
        if klass in _providers:
            return _providers[klass]
    return None


def is_page_model(model):
    return issubclass(model, Page)


def join_text(parts):
    """Plain text from strings, rich text HTML and StreamField values."""
    out = []
    for part in parts:
        if not part:
            continue
        if hasattr(part, "stream_block"):
            out.extend(str(item) for item in part.stream_block.get_searchable_content(part) if item)
        elif isinstance(part, (list, tuple)):
            out.append(join_text(part))
        else:
            out.append(get_text_for_indexing(str(part)))
    return "\n".join(text for text in out if text)
