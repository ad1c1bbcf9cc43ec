"""The agenda's permission policies: one per model, asked by every admin view of it.

Members of an association see the dates of the events it organises and see and correct (attendance, name,
phone) their registrations. The outbox is for librarians only: its e-mails carry participants' personal
cancellation links.
"""

from wagtail.permissions import register_permission_policy

from associations.permissions import AssociationScopedPermissionPolicy

from .models import Occurrence, OutgoingEmail, Registration

occurrence_policy = AssociationScopedPermissionPolicy(Occurrence, "event__organiser_id", member_actions={"view"})
registration_policy = AssociationScopedPermissionPolicy(
    Registration, "occurrence__event__organiser_id", member_actions={"view", "change"}
)
outgoing_email_policy = AssociationScopedPermissionPolicy(
    OutgoingEmail, "registration__occurrence__event__organiser_id", member_actions=()
)

for _policy in (occurrence_policy, registration_policy, outgoing_email_policy):
    register_permission_policy(_policy.model, _policy)
