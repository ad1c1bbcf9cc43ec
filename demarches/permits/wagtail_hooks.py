"""Admin of the greening permits: snippets (communes, charters, support types), the requests' list with its
filters and export, and the instruction, map and statistics screens."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import modeladmin_register
from wagtail_modeladmin.views import IndexView

from associations.permissions import PolicyModelAdmin, PolicyPermissionHelper
from biodiversitheque.core.csvio import SpreadsheetExportMixin

from .admin_views import instruct_view, letter_view, map_view, photo_view, stats_view
from .models import Charter, Commune, PermitRequest, SupportType
from .permissions import permit_policy


class CommuneViewSet(SnippetViewSet):
    model = Commune
    icon = "site"
    menu_label = _("Communes")
    list_display = ["name", "insee_code", "is_default", "contact_email"]
    search_fields = ["name", "insee_code"]


class CharterViewSet(SnippetViewSet):
    model = Charter
    icon = "doc-full"
    menu_label = _("Chartes")
    list_display = ["title", "version", "published_on"]


class SupportTypeViewSet(SnippetViewSet):
    model = SupportType
    icon = "pick"
    menu_label = _("Types de support")
    list_display = ["name", "sort_order", "guide"]
    search_fields = ["name"]


class PermitSettingsGroup(SnippetViewSetGroup):
    menu_label = _("Permis : réglages")
    menu_icon = "cog"
    menu_order = 262
    items = (CommuneViewSet, CharterViewSet, SupportTypeViewSet)


register_snippet(PermitSettingsGroup)


class PermitPermissionHelper(PolicyPermissionHelper):
    # Requests are created by residents and change only through the instruction screen's actions.
    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class PermitButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return [{
            "url": reverse("demarches_permit_instruct", args=[obj.pk]), "label": _("Instruire"),
            "classname": "button button-small", "title": _("Ouvrir la demande %(ref)s") % {"ref": obj.reference},
        }]


class PermitIndexView(SpreadsheetExportMixin, IndexView):
    """Export in French, formulas neutralised; only the rows the policy shows (agents, their communes)."""


class PermitRequestAdmin(PolicyModelAdmin):
    model = PermitRequest
    menu_label = _("Permis de végétaliser")
    menu_icon = "pick"
    menu_order = 260
    add_to_admin_menu = True
    permission_helper_class = PermitPermissionHelper
    button_helper_class = PermitButtonHelper
    index_view_class = PermitIndexView
    list_display = ("reference", "commune", "district", "support_type", "status", "submitted_at", "deadline_on",
                    "days_left")
    list_filter = ("status", "support_type", "commune", "district", "submitted_at", "deadline_on")
    search_fields = ("reference", "street", "district")
    list_export = ("reference", "commune", "district", "support_type", "status", "applicant_kind", "name", "email",
                   "phone", "address", "submitted_at", "deadline_on", "decided_at", "valid_until")
    export_filename = "demandes-permis-de-vegetaliser"
    scoped_filters = ("district",)
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commune", "support_type")

    def get_list_export(self, request):
        # Personal data is exported only to agents (never to an association member).
        return self.list_export if permit_policy.is_agent(request.user) else ()


modeladmin_register(PermitRequestAdmin)


@hooks.register("register_admin_urls")
def register_permit_urls():
    return [
        path("permis/demandes/<int:pk>/", instruct_view, name="demarches_permit_instruct"),
        path("permis/demandes/<int:pk>/photo/<int:photo_id>/", photo_view, name="demarches_permit_photo"),
        path("permis/demandes/<int:pk>/courrier.pdf", letter_view, name="demarches_permit_letter"),
        path("permis/carte/", map_view, name="demarches_permit_map"),
        path("permis/statistiques/", stats_view, name="demarches_permit_stats"),
    ]


class PolicyMenuItem(MenuItem):
    def is_shown(self, request):
        return permit_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_menu_item")
def register_map_menu_item():
    return PolicyMenuItem(_("Permis : carte"), reverse("demarches_permit_map"), icon_name="site", order=261)


@hooks.register("register_admin_menu_item")
def register_stats_menu_item():
    return PolicyMenuItem(_("Permis : statistiques"), reverse("demarches_permit_stats"), icon_name="table", order=263)
