"""The search page, its JSON twin and autocomplete: thin views over services.search()."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.utils.http import urlencode
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from biodiversitheque.core.models import Audience, Theme
from biodiversitheque.core.ratelimits import limit

from . import caches, services
from .backends import get_backend
from .forms import SearchForm, page_number
from .registry import kind_labels
from .text import excerpt, headline_html, highlight

PER_PAGE = 10
API_MAX_PER_PAGE = 50
MAX_QUERY_LENGTH = 200  # longer input is cut: bounded work per request


def _run(request, per_page):
    form = SearchForm(request.GET or None)
    filters = form.cleaned_filters()
    query = (filters.pop("q") or "")[:MAX_QUERY_LENGTH]
    correct = request.GET.get("exact") != "1"
    results = services.search(query, filters, page_number(request.GET.get("page")), per_page, correct)
    term_set = set(results.terms)
    for row in results.results:
        row["type"] = row["kind"]
        matched_summary = highlight(row["summary"], term_set)
        if "<mark>" not in matched_summary and row["text"]:
            if row.get("headline") and "\x02" in row["headline"]:
                snippet = headline_html(row["headline"])  # PostgreSQL: its French analysis picks the passage
            else:
                snippet = highlight(excerpt(row["text"], term_set, 240), term_set)
            if "<mark>" in snippet:
                row["snippet"] = mark_safe(snippet)  # noqa: S308 - built from escaped text only
        row["highlight"] = mark_safe(matched_summary)  # noqa: S308 - built from escaped text only
        row["title_highlight"] = mark_safe(highlight(row["title"], term_set))  # noqa: S308
    if query:
        services.log_search(query, results.count)
    return form, query, filters, results


@require_GET
def search_page(request):
    form, query, filters, results = _run(request, PER_PAGE)
    labels = {
        "type": kind_labels(),
        "theme": caches.cached("labels", "theme", lambda: dict(Theme.objects.values_list("slug", "name"))),
        "audience": caches.cached("labels", "audience", lambda: dict(Audience.objects.values_list("slug", "name"))),
    }
    facets = [
        {
            "name": name,
            "label": label,
            "active": filters.get(name),
            "options": [
                {
                    "value": value,
                    "label": labels[name].get(value, value),
                    "count": count,
                    "active": filters.get(name) == value,
                    "url": _url_with(request, name, None if filters.get(name) == value else value),
                }
                for value, count in results.facets.get(name, [])
                if value in labels[name]
            ],
        }
        for name, label in (("type", _("Type")), ("theme", _("Thème")), ("audience", _("Public")))
    ]
    page_obj = Paginator(range(results.count), PER_PAGE).get_page(results.page if results.count else 1)
    context = {
        "form": form,
        "query": query,
        "results": results,
        "facets": facets,
        "active_filters": any(filters.values()),
        "reset_url": "?" + urlencode({"q": query}),
        "original_url": _url_with(request, "exact", "1"),
        "page_obj": page_obj,
        "promotions": services.promotions(query) if query and results.page == 1 and not any(filters.values()) else [],
        "page": {"title": _("Recherche"), "seo_title": f"{_('Recherche')} : {query}" if query else _("Recherche")},
    }
    return TemplateResponse(request, "sitesearch/search.html", context)


def _url_with(request, name, value):
    """This search with one facet set (or removed) and back to page 1."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop(name, None)
    if value:
        params[name] = value
    return f"?{params.urlencode()}"


@require_GET
@limit("search_api")
def search_api(request):
    per_page = min(page_number(request.GET.get("per_page") or PER_PAGE), API_MAX_PER_PAGE)
    form, query, filters, results = _run(request, per_page)
    return JsonResponse(
        {
            "count": results.count,
            "count_exact": results.exact,
            "page": results.page,
            "num_pages": results.num_pages,
            "suggestion": results.suggestion,
            "corrected": results.corrected,
            "original_query": query if results.corrected else "",
            "results": [
                {
                    "title": row["title"],
                    "url": row["url"],
                    "type": row["kind"],
                    "type_label": str(row["kind_label"]),
                    "summary": row["summary"],
                    "highlight": str(row.get("snippet") or row["highlight"]),
                }
                for row in results.results
            ],
            "facets": {name: [{"value": v, "count": c} for v, c in values] for name, values in results.facets.items()},
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@limit("suggestions_api")
def suggestions_api(request):
    prefix = (request.GET.get("q") or "")[:100]
    return JsonResponse(
        {"query": prefix, "results": get_backend().autocomplete(prefix)}, json_dumps_params={"ensure_ascii": False}
    )
