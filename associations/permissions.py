"""Who may act on what: model permissions (librarians) reach every row; a membership reaches only its
association's rows (its entry, its events' dates and registrations).

One rule, written once as a Wagtail permission policy per model and asked by every admin view: snippet and
model viewsets use it directly, wagtail-modeladmin through `PolicyPermissionHelper` and `PolicyModelAdmin`
(list, search, export, inspect, edit, delete and history alike).
"""

from django.utils.functional import cached_property
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import HistoryView

from .models import Association, Membership

READ_ACTIONS = ("view", "change", "delete")


def member_association_ids(user):
    """Ids of the associations the user is a member of (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_member_association_ids", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("association_id", flat=True))
        user._member_association_ids = cached
    return cached


def forget_cached_scope(user):
    user.__dict__.pop("_member_association_ids", None)


class AssociationScopedPermissionPolicy(ModelPermissionPolicy):
    """A Django model permission means "every row"; being a member of an association gives
    `member_actions` on the rows whose `lookup` (a path to an association id) is one of its associations,
    and nothing else."""

    def __init__(self, model, lookup, member_actions=()):
        super().__init__(model)
        self.lookup = lookup
        self.member_actions = frozenset(member_actions)

    def user_sees_every_row(self, user, action="view"):
        return super().user_has_permission(user, action)

    def user_has_permission(self, user, action):
        if self.user_sees_every_row(user, action):
            return True
        return action in self.member_actions and bool(member_association_ids(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def association_id_of(self, instance):
        value = instance
        for part in self.lookup.split("__"):
            value = getattr(value, part, None)
        return value

    def user_has_permission_for_instance(self, user, action, instance):
        if self.user_sees_every_row(user, action):
            return True
        return action in self.member_actions and self.association_id_of(instance) in member_association_ids(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def filter_for_user(self, user, queryset, actions=READ_ACTIONS):
        """`queryset` narrowed to the rows the user may act on with one of `actions`."""
        if any(self.user_sees_every_row(user, action) for action in actions):
            return queryset
        if self.member_actions.intersection(actions):
            return queryset.filter(**{f"{self.lookup}__in": member_association_ids(user)})
        return queryset.none()

    def instances_user_has_any_permission_for(self, user, actions):
        return self.filter_for_user(user, self.model._default_manager.all(), actions)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


class PolicyPermissionHelper(PermissionHelper):
    """wagtail-modeladmin's questions answered by the model's registered permission policy."""

    @cached_property
    def policy(self):
        return policy_registry.get_by_type(self.model)

    def user_has_specific_permission(self, user, perm_codename):
        return self.policy.user_has_permission(user, perm_codename.split("_", 1)[0])

    def user_has_any_permissions(self, user):
        return self.policy.user_has_any_permission(user, ("add",) + READ_ACTIONS)

    def user_can_list(self, user):
        return self.policy.user_has_any_permission(user, READ_ACTIONS)

    def user_can_create(self, user):
        return self.policy.user_has_permission(user, "add")

    def user_can_view_obj(self, user, obj):
        return self.policy.user_has_any_permission_for_instance(user, READ_ACTIONS, obj)

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and self.user_can_view_obj(user, obj)

    def user_can_edit_obj(self, user, obj):
        return self.policy.user_has_permission_for_instance(user, "change", obj)

    def user_can_delete_obj(self, user, obj):
        return self.policy.user_has_permission_for_instance(user, "delete", obj)


class PolicyHistoryView(HistoryView):
    """wagtail-modeladmin lets anyone open any row's history: here, only those who may see the row."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_view_obj(user, self.instance)


class PolicyModelAdmin(ModelAdmin):
    """Lists, searches and exports only the rows the policy allows; filters that would name other
    associations' rows (e.g. every event title) are offered only to those who see every row."""

    permission_helper_class = PolicyPermissionHelper
    history_view_class = PolicyHistoryView
    scoped_filters = ()

    def get_queryset(self, request):
        return self.permission_helper.policy.filter_for_user(request.user, super().get_queryset(request))

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if self.permission_helper.policy.user_sees_every_row(request.user):
            return filters
        return tuple(item for item in filters if item not in self.scoped_filters)


def register_policies():
    # Members change (only) their own entry; memberships keep the plain model policy (librarians only).
    register_permission_policy(Association, AssociationScopedPermissionPolicy(Association, "pk", {"change"}))
