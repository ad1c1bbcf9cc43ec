from django.http import Http404
from django.shortcuts import render
from wagtail.models import Site


def rate_limited(request, exception=None):
    """django-ratelimit's RATELIMIT_VIEW: a French 429 page instead of a bare 403."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def public_page(request, page_path):
    """(page, routable view kwargs) of a live, unrestricted page at this path; else 404."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    page, args, _kwargs = site.root_page.specific.route(request, [part for part in page_path.split("/") if part])
    if not page.live or page.get_view_restrictions().exists():
        raise Http404
    # Routable pages answer (view, view_args, view_kwargs).
    view_kwargs = args[2] if len(args) == 3 else {}
    return page, view_kwargs
