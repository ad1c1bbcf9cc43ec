from django.contrib.contenttypes.models import ContentType
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, WorkflowState
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import IndexView

from associations.permissions import PolicyModelAdmin
from biodiversitheque.core.csvio import SpreadsheetExportMixin

from .admin_views import (
    AtomicPageCreateView,
    OccurrenceEditView,
    RegistrationCreateView,
    RegistrationDeleteView,
    RegistrationEditView,
    cancel_occurrence_view,
    recurrence_preview_view,
)
from .models import EventPage, Occurrence, OutgoingEmail, Registration


class OccurrenceButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        buttons.append({
            "url": f"{reverse('ateliers_registration_modeladmin_index')}?occurrence={obj.pk}",
            "label": _("Inscrits"), "classname": "button button-small button-secondary",
            "title": _("Voir les inscrits de cette date"),
        })
        if not obj.is_cancelled and self.request.user.has_perm("ateliers.cancel_occurrence"):
            buttons.append({
                "url": reverse("ateliers_cancel_occurrence", args=[obj.pk]),
                "label": _("Annuler la date"), "classname": "button button-small button-secondary no",
                "title": _("Annuler cette date et prévenir les inscrits"),
            })
        return buttons


class OccurrenceAdmin(PolicyModelAdmin):
    model = Occurrence
    menu_label = _("Dates")
    menu_icon = "date"
    list_display = ("__str__", "status", "confirmed_places", "capacity", "fill_rate_display", "waiting_places")
    list_filter = ("status", "event", "start")
    search_fields = ("event__title",)
    ordering = ("start",)
    edit_view_class = OccurrenceEditView
    button_helper_class = OccurrenceButtonHelper
    scoped_filters = ("event",)
    inspect_view_enabled = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")

    def fill_rate_display(self, obj):
        return f"{obj.fill_rate} %"

    fill_rate_display.short_description = _("remplissage")

    def capacity(self, obj):
        return obj.capacity

    capacity.short_description = _("jauge")

    # Dates come from the event's rule: no manual creation or deletion here.
    def user_can_create(self):
        return False


class RegistrationIndexView(SpreadsheetExportMixin, IndexView):
    """The export in French (labels, statuses, local times), with spreadsheet formulas neutralised."""


class RegistrationAdmin(PolicyModelAdmin):
    model = Registration
    menu_label = _("Inscriptions")
    menu_icon = "group"
    list_display = ("name", "email", "places", "status", "occurrence", "attended", "created_at")
    list_filter = ("status", "occurrence__event", "occurrence__start", "attended")
    search_fields = ("name", "email")
    list_export = ("occurrence", "name", "email", "phone", "places", "status", "attended", "created_at")
    export_filename = "inscriptions"
    index_view_class = RegistrationIndexView
    create_view_class = RegistrationCreateView
    edit_view_class = RegistrationEditView
    delete_view_class = RegistrationDeleteView
    scoped_filters = ("occurrence__event",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("occurrence__event")


class OutgoingEmailAdmin(PolicyModelAdmin):
    model = OutgoingEmail
    menu_label = _("E-mails envoyés")
    menu_icon = "mail"
    list_display = ("created_at", "get_kind_display", "to", "subject", "status", "attempts", "last_error")
    list_filter = ("status", "kind")
    search_fields = ("to", "subject")
    inspect_view_enabled = True

    def user_can_create(self):
        return False


class AgendaGroup(ModelAdminGroup):
    menu_label = _("Agenda")
    menu_icon = "date"
    menu_order = 250
    items = (OccurrenceAdmin, RegistrationAdmin, OutgoingEmailAdmin)


modeladmin_register(AgendaGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("agenda/dates/<int:pk>/annuler/", cancel_occurrence_view, name="ateliers_cancel_occurrence"),
        path("agenda/apercu-des-dates/", recurrence_preview_view, name="ateliers_recurrence_preview"),
    ]


class UpcomingOccurrencesPanel(Component):
    """Dashboard: the next dates with their fill rate (counts only, no personal data)."""

    name = "agenda_upcoming"
    template_name = "ateliers/admin/upcoming_panel.html"
    order = 150

    def get_context_data(self, parent_context=None):
        occurrences = (
            Occurrence.objects.filter(end__gte=timezone.now(), event__registration_required=True)
            .select_related("event")
            .order_by("start")[:10]
        )
        return {"occurrences": occurrences, "index_url": reverse("ateliers_occurrence_modeladmin_index")}


@hooks.register("construct_homepage_panels")
def add_upcoming_panel(request, panels):
    if request.user.has_perm("ateliers.view_occurrence"):
        panels.append(UpcomingOccurrencesPanel())


class EventPageViewSet(PageViewSet):
    """Wagtail's views for event pages, with a creation that is one transaction (see AtomicPageCreateView)."""

    model = EventPage
    add_view_class = AtomicPageCreateView


@hooks.register("register_admin_viewset")
def register_event_page_viewset():
    return EventPageViewSet()


class AssociationEventsAwaitingPanel(Component):
    """Dashboard (librarians): association events waiting for validation, oldest first."""

    name = "association_events_awaiting"
    template_name = "ateliers/admin/awaiting_panel.html"
    order = 90

    def get_context_data(self, parent_context=None):
        states = list(
            WorkflowState.objects.active()
            .filter(base_content_type=ContentType.objects.get_for_model(Page))
            .select_related("requested_by", "current_task_state__task")
            .order_by("created_at")[:50]
        )
        events = EventPage.objects.filter(
            pk__in=[int(state.object_id) for state in states], organiser__isnull=False
        ).select_related("organiser").in_bulk()
        rows = [
            {"event": events[int(state.object_id)], "state": state,
             "edit_url": reverse("wagtailadmin_pages:edit", args=[int(state.object_id)])}
            for state in states if int(state.object_id) in events
        ]
        return {"rows": rows}


@hooks.register("construct_homepage_panels")
def add_awaiting_panel(request, panels):
    if request.user.has_perm("associations.add_membership"):
        panels.append(AssociationEventsAwaitingPanel())
