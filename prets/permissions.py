"""Personal-data models of the lending: one Wagtail permission policy each, asked by every admin view
(listing, inspect, history, edit, delete, the desk). Only the lending team ("Prêts" group) holds them.

The policies are the associations' scoped ones with no member action: association membership gives nothing
here, a Django model permission gives every row (the admin's PolicyModelAdmin expects that interface).
"""

from wagtail.permissions import register_permission_policy

from associations.permissions import AssociationScopedPermissionPolicy

from .models import Borrower, Hold, Loan, SeedMovement, Unit

borrower_policy = AssociationScopedPermissionPolicy(Borrower, "pk")
loan_policy = AssociationScopedPermissionPolicy(Loan, "pk")
hold_policy = AssociationScopedPermissionPolicy(Hold, "pk")
unit_policy = AssociationScopedPermissionPolicy(Unit, "pk")
seed_movement_policy = AssociationScopedPermissionPolicy(SeedMovement, "pk")

for _policy in (borrower_policy, loan_policy, hold_policy, unit_policy, seed_movement_policy):
    register_permission_policy(_policy.model, _policy)


def can_use_desk(user):
    return loan_policy.user_has_permission(user, "change") and borrower_policy.user_has_permission(user, "view")
