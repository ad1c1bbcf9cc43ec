"""Groups of the greening permits: instructors, the decision role and one group per service (settings)."""

from django.contrib.auth.models import Group, Permission

from . import choices

INSTRUCTOR_PERMISSIONS = [
    ("demarches", "view_permitrequest"), ("demarches", "change_permitrequest"),
    ("demarches", "add_supporttype"), ("demarches", "change_supporttype"), ("demarches", "view_supporttype"),
    ("demarches", "add_charter"), ("demarches", "change_charter"), ("demarches", "view_charter"),
    ("demarches", "view_commune"), ("wagtailadmin", "access_admin"),
]
SERVICE_PERMISSIONS = [("demarches", "view_permitrequest"), ("demarches", "change_permitrequest"),
                       ("wagtailadmin", "access_admin")]
DECISION_PERMISSIONS = SERVICE_PERMISSIONS + [("demarches", "decide_permitrequest")]


def _permissions(pairs):
    found = []
    for app_label, codename in pairs:
        found.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    return found


def _ensure(name, pairs):
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.set(_permissions(pairs))
    return group


def ensure_roles():
    """Create or update the groups (idempotent); returns them by name."""
    groups = {choices.INSTRUCTORS_GROUP: _ensure(choices.INSTRUCTORS_GROUP, INSTRUCTOR_PERMISSIONS),
              choices.DECISION_GROUP: _ensure(choices.DECISION_GROUP, DECISION_PERMISSIONS)}
    for code, _label in choices.services():
        name = choices.service_group_name(code)
        groups[name] = _ensure(name, SERVICE_PERMISSIONS)
    return groups
