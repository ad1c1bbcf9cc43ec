"""Who sees which permit requests: one policy asked by every admin view (list, inspect, history, export, map,
statistics, photos).

Agents (the model permission) see the requests of the communes they instruct: a commune with no instructing
group is open to every agent. A member of an association sees, read-only, the requests made in its name.
"""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from associations.permissions import READ_ACTIONS, member_association_ids

from . import choices
from .models import Commune, PermitRequest


def commune_ids_for(user):
    """Ids of the communes whose requests the user instructs; None means all."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_permit_commune_ids", None)
    if cached is None:
        group_ids = set(user.groups.values_list("pk", flat=True))
        cached = set()
        for commune in Commune.objects.prefetch_related("agent_groups"):
            groups = {group.pk for group in commune.agent_groups.all()}
            if not groups or groups & group_ids:
                cached.add(commune.pk)
        user._permit_commune_ids = cached
    return cached


def user_services(user):
    """[(code, label)] of the services the user gives opinions for (its service groups; all for a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return choices.services()
    names = set(user.groups.values_list("name", flat=True))
    return [(code, label) for code, label in choices.services() if choices.service_group_name(code) in names]


def can_decide(user, permit):
    return user.has_perm("demarches.decide_permitrequest") and permit_policy.is_agent_for(user, permit)


class PermitRequestPolicy(ModelPermissionPolicy):
    def is_agent(self, user, action="view"):
        return super().user_has_permission(user, action)

    def is_agent_for(self, user, permit):
        if not self.is_agent(user, "view"):
            return False
        communes = commune_ids_for(user)
        return communes is None or permit.commune_id in communes

    def user_sees_every_row(self, user, action="view"):
        return self.is_agent(user, action) and commune_ids_for(user) is None

    def user_has_permission(self, user, action):
        if self.is_agent(user, action):
            return True
        return action == "view" and bool(member_association_ids(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if self.is_agent(user, action):
            communes = commune_ids_for(user)
            if communes is None or instance.commune_id in communes:
                return True
        return action == "view" and instance.association_id in member_association_ids(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def filter_for_user(self, user, queryset, actions=READ_ACTIONS):
        if any(self.is_agent(user, action) for action in actions):
            communes = commune_ids_for(user)
            return queryset if communes is None else queryset.filter(commune_id__in=communes)
        if "view" in actions and member_association_ids(user):
            return queryset.filter(association_id__in=member_association_ids(user))
        return queryset.none()

    def instances_user_has_any_permission_for(self, user, actions):
        return self.filter_for_user(user, self.model._default_manager.all(), actions)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


permit_policy = PermitRequestPolicy(PermitRequest)


def register_policies():
    register_permission_policy(PermitRequest, permit_policy)
