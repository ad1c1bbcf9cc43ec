"""Who sees applications and what hangs from them.

Instructors (model permissions, the « Instructeurs des appels » group) see every row. A reviewer sees only the
applications assigned to them without a declared conflict; a member of an association sees its
association's applications (view only). One policy per model, asked by every admin view.
"""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from associations.permissions import READ_ACTIONS, member_association_ids

from .models import ApplicantAccess, Application, ApplicationFile, InstructorNote, Milestone, Review, Score


class ApplicationScopedPolicy(ModelPermissionPolicy):
    """`prefix` is the path from the model to its Application ("" for Application itself)."""

    def __init__(self, model, prefix="", reviewer_actions=("view",), member_actions=("view",)):
        super().__init__(model)
        self.prefix = prefix
        self.reviewer_actions = frozenset(reviewer_actions)
        self.member_actions = frozenset(member_actions)

    def _path(self, lookup):
        return f"{self.prefix}__{lookup}" if self.prefix else lookup

    def user_sees_every_row(self, user, action="view"):
        return super().user_has_permission(user, action)

    def _scope(self, user, action):
        q = Q(pk__in=[])
        if action in self.reviewer_actions and getattr(user, "is_authenticated", False):
            q |= Q(**{self._path("reviews__reviewer"): user, self._path("reviews__conflict_of_interest"): False})
        if action in self.member_actions:
            ids = member_association_ids(user)
            if ids:
                q |= Q(**{self._path("association_id__in"): ids, self._path("status"): "depose"})
        return q

    def user_has_permission(self, user, action):
        if self.user_sees_every_row(user, action):
            return True
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return self.model._default_manager.filter(self._scope(user, action)).exists()

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if self.user_sees_every_row(user, action):
            return True
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return self.model._default_manager.filter(self._scope(user, action), pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def filter_for_user(self, user, queryset, actions=READ_ACTIONS):
        if any(self.user_sees_every_row(user, action) for action in actions):
            return queryset
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return queryset.none()
        q = Q(pk__in=[])
        for action in actions:
            q |= self._scope(user, action)
        return queryset.filter(q).distinct()

    def instances_user_has_any_permission_for(self, user, actions):
        return self.filter_for_user(user, self.model._default_manager.all(), actions)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


application_policy = ApplicationScopedPolicy(Application)
file_policy = ApplicationScopedPolicy(ApplicationFile, "application")
milestone_policy = ApplicationScopedPolicy(Milestone, "application", reviewer_actions=())
# Instructors only: their private notes, the signed links, other reviewers' work.
note_policy = ApplicationScopedPolicy(InstructorNote, "application", reviewer_actions=(), member_actions=())
access_policy = ApplicationScopedPolicy(ApplicantAccess, "application", reviewer_actions=(), member_actions=())
review_policy = ApplicationScopedPolicy(Review, "application", reviewer_actions=(), member_actions=())
score_policy = ApplicationScopedPolicy(Score, "review__application", reviewer_actions=(), member_actions=())

POLICIES = (application_policy, file_policy, milestone_policy, note_policy, access_policy, review_policy,
            score_policy)


def register_policies():
    for policy in POLICIES:
        register_permission_policy(policy.model, policy)
