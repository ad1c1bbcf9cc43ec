import django_filters
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from biodiversitheque.core.models import Theme

from .admin_views import MembershipCreateView, MembershipDeleteView
from .admin_forms import InvitationForm
from .models import Association, Membership


class AssociationFilterSet(WagtailFilterSet):
    themes = django_filters.ModelMultipleChoiceFilter(
        label=_("Thèmes"), queryset=Theme.objects.all(), distinct=True
    )
    city = django_filters.CharFilter(label=_("Commune"), lookup_expr="iexact")

    class Meta:
        model = Association
        fields = ["themes", "city"]


class OwnAssociationMixin:
    """Views of one association: another association's entry is 'not found' for a member."""

    required_instance_action = "change"

    def get_object(self, *args, **kwargs):
        association = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.required_instance_action, association
        ):
            raise Http404
        return association


class AssociationEditView(OwnAssociationMixin, snippet_views.EditView):
    pass


class AssociationHistoryView(OwnAssociationMixin, snippet_views.HistoryView):
    pass


class AssociationUsageView(OwnAssociationMixin, snippet_views.UsageView):
    pass


class AssociationDeleteView(OwnAssociationMixin, snippet_views.DeleteView):
    required_instance_action = "delete"


class AssociationViewSet(SnippetViewSet):
    model = Association
    icon = "group"
    menu_label = _("Associations")
    menu_name = "associations"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "city", "email"]
    search_fields = ["name", "summary", "city"]
    filterset_class = AssociationFilterSet
    ordering = ["name"]
    copy_view_enabled = False
    edit_view_class = AssociationEditView
    history_view_class = AssociationHistoryView
    usage_view_class = AssociationUsageView
    delete_view_class = AssociationDeleteView

    def get_queryset(self, request):
        # Librarians list every association; a member lists only its own.
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change", "delete", "view"]
        )


register_snippet(AssociationViewSet)


class MembershipFilterSet(WagtailFilterSet):
    class Meta:
        model = Membership
        fields = ["association"]


class MembershipViewSet(ModelViewSet):
    """Librarians invite people for an association and remove them (access is revoked at once)."""

    model = Membership
    icon = "user"
    menu_label = _("Membres des associations")
    menu_name = "association_members"
    menu_order = 310
    add_to_admin_menu = True
    url_prefix = "associations/membres"
    name = "association_members"
    form_fields = ["role"]
    list_display = [
        Column("user", label=_("Personne"), accessor="user"),
        Column("email", label=_("Adresse e-mail"), accessor="user.email"),
        "association",
        Column("active", label=_("Compte actif"), accessor="user.is_active"),
        DateColumn("created_at", label=_("Depuis le")),
    ]
    list_filter = ["association"]
    filterset_class = MembershipFilterSet
    search_fields = ["user__email", "user__first_name", "user__last_name", "association__name"]
    add_view_class = MembershipCreateView
    delete_view_class = MembershipDeleteView
    inspect_view_enabled = False
    copy_view_enabled = False

    def get_queryset(self, request):
        return Membership.objects.select_related("user", "association")

    def get_form_class(self, for_update=False):
        if for_update:
            return super().get_form_class(for_update=True)
        return InvitationForm


membership_viewset = MembershipViewSet()


@hooks.register("register_admin_viewset")
def register_membership_viewset():
    return membership_viewset


@hooks.register("construct_page_chooser_queryset")
def hide_other_drafts_from_chooser(pages, request):
    """The page chooser lists the whole tree; unpublished pages only where the user may explore."""
    user = request.user
    if user.is_superuser:
        return pages
    explorable = PagePermissionPolicy().explorable_instances(user).values_list("pk", flat=True)
    return pages.filter(Q(live=True) | Q(pk__in=explorable))
