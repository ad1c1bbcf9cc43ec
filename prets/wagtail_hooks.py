from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from associations.permissions import PolicyModelAdmin

from . import admin_views
from .models import Borrower, Hold, LendingPoint, Loan, SeedMovement, Unit
from .permissions import can_use_desk


class LendingPointViewSet(SnippetViewSet):
    model = LendingPoint
    icon = "home"
    menu_label = _("Points de prêt")
    list_display = ("name", "address")
    search_fields = ("name", "address")
    add_to_admin_menu = False


register_snippet(LendingPointViewSet)


class UnitAdmin(PolicyModelAdmin):
    model = Unit
    menu_label = _("Exemplaires")
    menu_icon = "tag"
    list_display = ("code", "thing", "lending_point", "condition", "status")
    list_filter = ("status", "condition", "lending_point")
    search_fields = ("code", "thing__title")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("thing", "lending_point")


class BorrowerAdmin(PolicyModelAdmin):
    model = Borrower
    menu_label = _("Emprunteurs")
    menu_icon = "user"
    list_display = ("name", "card_number", "email", "phone", "created_at", "last_activity_at")
    search_fields = ("name", "email", "card_number")
    form_fields_exclude = ("consent_at", "last_activity_at", "created_at")
    inspect_view_enabled = True


class LoanAdmin(PolicyModelAdmin):
    model = Loan
    menu_label = _("Prêts et réservations")
    menu_icon = "list-ul"
    list_display = ("thing", "unit", "borrower", "status", "start_date", "due_date", "renewals")
    list_filter = ("status", "lending_point", "thing", "start_date")
    search_fields = ("thing__title", "unit__code", "borrower__name", "borrower__card_number")
    inspect_view_enabled = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("thing", "unit", "borrower")

    # Loans are made and closed at the desk, through the rules (locks, queue).
    def user_can_create(self):
        return False


class HoldAdmin(PolicyModelAdmin):
    model = Hold
    menu_label = _("Files d'attente")
    menu_icon = "time"
    list_display = ("thing", "borrower", "status", "created_at", "offered_at")
    list_filter = ("status", "thing")
    search_fields = ("thing__title", "borrower__name")
    inspect_view_enabled = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("thing", "borrower")

    def user_can_create(self):
        return False


class SeedMovementAdmin(PolicyModelAdmin):
    model = SeedMovement
    menu_label = _("Carnet de la grainothèque")
    menu_icon = "form"
    list_display = ("created_at", "variety", "kind", "packets", "note")
    list_filter = ("kind", "variety")
    search_fields = ("variety__title", "note")


class LendingGroup(ModelAdminGroup):
    menu_label = _("Prêts")
    menu_icon = "tag"
    menu_order = 260
    items = (BorrowerAdmin, LoanAdmin, HoldAdmin, UnitAdmin, SeedMovementAdmin)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        desk = DeskMenuItem(_("Guichet"), reverse("prets_desk"), icon_name="tasks", order=0)
        stats = DeskMenuItem(_("Statistiques"), reverse("prets_statistics"), icon_name="table", order=1)
        points = PointsMenuItem(_("Points de prêt"), reverse("wagtailsnippets_prets_lendingpoint:list"),
                                icon_name="home", order=2)
        return [desk, stats, points, *items]


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_desk(request.user)


class PointsMenuItem(MenuItem):
    # Shown to whoever may see the points, not to every admin user (it would show the whole group).
    def is_shown(self, request):
        return any(request.user.has_perm(f"prets.{action}_lendingpoint") for action in ("view", "change"))


modeladmin_register(LendingGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("prets/guichet/", admin_views.desk, name="prets_desk"),
        path("prets/statistiques/", admin_views.statistics, name="prets_statistics"),
    ]
