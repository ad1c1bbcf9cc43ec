"""Who may act on what: model permissions (librarians) reach everything; a membership reaches only its
association's entry, events and registrations.

One rule everywhere: a Django model permission given to a group means "all rows"; being a member of an
association gives the same action on that association's rows only, never more.
"""

from wagtail.permission_policies import ModelPermissionPolicy


def member_association_ids(user):
    """Ids of the associations the user is a member of (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_member_association_ids", None)
    if cached is None:
        from .models import Membership

        cached = frozenset(Membership.objects.filter(user=user).values_list("association_id", flat=True))
        user._member_association_ids = cached
    return cached


def forget_cached_scope(user):
    user.__dict__.pop("_member_association_ids", None)


class AssociationPermissionPolicy(ModelPermissionPolicy):
    """Snippet permissions of associations: members may change (only) their own entry."""

    member_actions = {"change"}

    def _member_may(self, user, action):
        return action in self.member_actions and bool(member_association_ids(user))

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) or self._member_may(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if super().user_has_permission(user, action):
            return True
        return action in self.member_actions and instance.pk in member_association_ids(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if any(super(AssociationPermissionPolicy, self).user_has_permission(user, action) for action in actions):
            return self.model._default_manager.all()
        if self.member_actions.intersection(actions):
            return self.model._default_manager.filter(pk__in=member_association_ids(user))
        return self.model._default_manager.none()

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


class OrganiserScope:
    """Rows of an agenda model that belong to events organised by the user's associations.

    `lookup` is the path from the model to the event's organiser id, e.g. "occurrence__event__organiser_id".
    """

    def __init__(self, app_label, model_name, lookup):
        self.app_label = app_label
        self.model_name = model_name
        self.lookup = lookup

    def sees_all(self, user, action="view"):
        return user.has_perm(f"{self.app_label}.{action}_{self.model_name}")

    def filter(self, user, queryset, action="view"):
        if self.sees_all(user, action):
            return queryset
        return queryset.filter(**{f"{self.lookup}__in": member_association_ids(user)})

    def owns(self, user, obj):
        organiser_id = obj
        for part in self.lookup.split("__"):
            organiser_id = getattr(organiser_id, part, None)
        return organiser_id is not None and organiser_id in member_association_ids(user)
