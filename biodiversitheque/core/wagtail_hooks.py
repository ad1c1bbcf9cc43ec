from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, AudienceViewSet)
    menu_icon = "tag"
    menu_label = _("Thèmes et publics")
    menu_name = "taxonomie"


register_snippet(TaxonomyViewSetGroup)


@hooks.register("construct_help_menu")
def hide_english_help(request, menu_items):
    # Wagtail's editor guide and release notes are English web pages: the admin is French for every account.
    menu_items[:] = [item for item in menu_items if not str(getattr(item, "url", "")).startswith("http")]


# Site-wide maintenance reports, for those who publish; an association member has nothing to do there.
PUBLISHER_REPORTS = {"aging-pages", "page-types-usage"}


@hooks.register("construct_reports_menu")
def hide_publisher_reports(request, menu_items):
    if PagePermissionPolicy().user_has_permission(request.user, "publish"):
        return
    menu_items[:] = [item for item in menu_items if item.name not in PUBLISHER_REPORTS]
