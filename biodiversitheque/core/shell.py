"""The page shell (menu, footer, town name) read once and cached: every public page shows it, and it only
changes when pages are saved, published, moved or deleted, or when the site settings are saved."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache_generations import Generation
from .models import SiteSettings

VERSION = Generation("page-shell-version")
TIMEOUT = 24 * 3600


def invalidate(**kwargs):
    VERSION.bump()


def _link(page, site):
    if page is None or not page.live:
        return None
    return {"title": page.title, "url": page.get_url(current_site=site), "url_path": page.url_path,
            "summary": getattr(page, "summary", "")}


def menu_links(parent, site):
    """The live, public children of `parent` shown in menus, as plain links with their summary (the home
    page's section links are the site menu with summaries)."""
    links = [_link(item, site) for item in parent.get_children().live().public().in_menu().specific()]
    return [link for link in links if link]


def build(site):
    """Plain strings only, so the cached value never holds model instances."""
    settings = SiteSettings.for_site(site)
    return {
        "town_name": settings.town_name,
        "address": settings.address,
        "opening_hours": settings.opening_hours,
        "phone": settings.phone,
        "email": settings.email,
        "menu": menu_links(site.root_page, site),
        "accessibility_page": _link(settings.accessibility_page, site),
        "privacy_page": _link(settings.privacy_page, site),
        "legal_page": _link(settings.legal_page, site),
        "open_data_page": _link(settings.open_data_page, site),
    }


def for_request(request):
    site = Site.find_for_request(request)
    if site is None:
        return {"menu": []}
    shell = cache.get(f"page-shell:{site.pk}:{VERSION.current()}")
    if shell is None:
        shell = build(site)
        # Keyed after building: creating the site's settings row on first read bumps the version.
        cache.set(f"page-shell:{site.pk}:{VERSION.current()}", shell, TIMEOUT)
    return shell


for signal in (page_published, page_unpublished, post_page_move):
    signal.connect(invalidate, dispatch_uid=f"page-shell-{signal}")
post_delete.connect(invalidate, sender=Page, dispatch_uid="page-shell-page-delete")


@receiver(post_save, sender=SiteSettings, dispatch_uid="page-shell-settings")
@receiver(post_save, sender=Site, dispatch_uid="page-shell-site")
def _settings_saved(**kwargs):
    invalidate()


MENU_DEPTH = 3  # the children of a site's root page, itself a child of the tree's root


@receiver(post_save, dispatch_uid="page-shell-page-save")
def _page_saved(sender, instance, created, **kwargs):
    # A page's post_save has its specific class as sender. Pages added live without a publication (demo
    # builders, imports, tests) must show in the menu and section links at once; saving a deeper page that
    # exists (an inventory after an import) changes nothing in the shell.
    if isinstance(instance, Page) and (created or instance.depth <= MENU_DEPTH):
        invalidate()
