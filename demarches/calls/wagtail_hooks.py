"""The calls' admin: applications (scoped by the policy), milestones to approve, instalments, and the
instruction, ranking and results screens."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from associations.permissions import PolicyModelAdmin

from . import admin_views
from .models import Application, Instalment, Milestone


class ApplicationButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = [{"url": reverse("calls_application", args=[obj.pk]), "label": _("Ouvrir"),
                    "classname": "button button-small", "title": _("Ouvrir le dossier")}]
        if admin_views.is_instructor(self.request.user) or admin_views.is_committee_member(self.request.user,
                                                                                           obj.call):
            buttons.append({"url": reverse("calls_ranking", args=[obj.call_id]), "label": _("Classement"),
                            "classname": "button button-small button-secondary",
                            "title": _("Classement de l’appel")})
        return buttons


class ApplicationAdmin(PolicyModelAdmin):
    model = Application
    menu_label = _("Dossiers")
    menu_icon = "folder-open-inverse"
    list_display = ("number", "project_title", "applicant_display", "call", "status", "amount_requested",
                    "decision", "submitted_at")
    list_filter = ("call", "status", "decision", "applicant_type")
    search_fields = ("number", "project_title", "organisation_name", "email")
    button_helper_class = ApplicationButtonHelper
    inspect_view_enabled = False
    list_per_page = 30

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("call", "association")

    def applicant_display(self, obj):
        return obj.applicant_display

    applicant_display.short_description = _("porteur")

    def user_can_create(self):
        return False


class MilestoneButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        buttons = [button for button in buttons if "delete" not in button.get("classname", "")]
        if obj.status != "publie":
            buttons.append({"url": reverse("calls_milestone_review", args=[obj.pk, "publier"]), "label": _("Publier"),
                            "classname": "button button-small", "title": _("Publier ce jalon")})
        if obj.status != "refuse":
            buttons.append({"url": reverse("calls_milestone_review", args=[obj.pk, "refuser"]),
                            "label": _("Refuser"), "classname": "button button-small button-secondary no",
                            "title": _("Refuser ce jalon")})
        return buttons


class MilestoneAdmin(PolicyModelAdmin):
    model = Milestone
    menu_label = _("Jalons à valider")
    menu_icon = "image"
    list_display = ("date", "title", "application", "status")
    list_filter = ("status",)
    search_fields = ("title", "text")
    inspect_view_enabled = False
    button_helper_class = MilestoneButtonHelper

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application")

    def user_can_create(self):
        return False


class InstalmentAdmin(ModelAdmin):
    model = Instalment
    menu_label = _("Versements")
    menu_icon = "tag"
    list_display = ("application", "label", "due_date", "amount", "status", "paid_on")
    list_filter = ("status", "application__call")
    search_fields = ("application__project_title", "application__number", "label")


class CallsGroup(ModelAdminGroup):
    menu_label = _("Appels à projets")
    menu_icon = "folder-open-inverse"
    menu_order = 260
    items = (ApplicationAdmin, MilestoneAdmin, InstalmentAdmin)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(FinancesMenuItem(_("Suivi financier"), reverse("calls_finances"), icon_name="list-ul",
                                      order=900))
        return items


class FinancesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("demarches.view_instalment")


modeladmin_register(CallsGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("appels/dossiers/<int:pk>/", admin_views.application_detail, name="calls_application"),
        path("appels/pieces/<int:pk>/", admin_views.application_file, name="calls_application_file"),
        path("appels/<int:pk>/classement/", admin_views.ranking, name="calls_ranking"),
        path("appels/<int:pk>/comite/", admin_views.create_committee, name="calls_create_committee"),
        path("appels/<int:pk>/resultats/", admin_views.publish_results, name="calls_publish_results"),
        path("appels/jalons/<int:pk>/<str:verdict>/", admin_views.review_milestone, name="calls_milestone_review"),
        path("appels/suivi-financier/", admin_views.finances, name="calls_finances"),
    ]
