"""Demo (development only): two association accounts, each with an event in every moderation state.

Runs after the agenda's demo. Idempotent: accounts, memberships and events are looked up by name or slug.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from associations import services
from associations.models import Association, Membership
from ateliers.association_folders import ensure_events_folder
from ateliers.models import AgendaPage, EventPage

from .base import DEMO_PASSWORD, _demo_user

ACCOUNTS = [
    {
        "username": "amis-des-mares", "association": "les-amis-des-mares", "first_name": "Claire",
        "last_name": "Des Mares", "email": "amis-des-mares@example.org",
        "draft": ("Inventaire des libellules (brouillon)", "inventaire-des-libellules"),
        "submitted": ("Nuit des tritons", "nuit-des-tritons"),
    },
    {
        "username": "apis-sauvage", "association": "apis-sauvage", "first_name": "Bastien",
        "last_name": "Apis", "email": "apis-sauvage@example.org",
        "draft": ("Atelier nichoirs à abeilles solitaires (brouillon)", "nichoirs-abeilles-solitaires"),
        "submitted": ("Balade des pollinisateurs", "balade-des-pollinisateurs"),
    },
]


@transaction.atomic
def load(log):
    agenda = AgendaPage.objects.first()
    moved = 0
    for association in Association.objects.all():
        folder = ensure_events_folder(association)
        if folder is None:
            continue
        # Events created before associations had their folder: move them in (idempotent).
        for event in EventPage.objects.child_of(agenda).filter(organiser=association):
            event.move(folder, pos="last-child")
            moved += 1
    if moved:
        log(f"Espace des associations : {moved} activité(s) rangée(s) dans le dossier de leur association.")
    if not settings.BIODIVERSITHEQUE_DEMO_ACCOUNTS or agenda is None:
        return
    names = []
    for spec in ACCOUNTS:
        association = Association.objects.filter(slug=spec["association"]).first()
        if association is None:
            continue
        user, _status = _demo_user(
            get_user_model(), spec["username"], first_name=spec["first_name"], last_name=spec["last_name"],
            email=spec["email"], is_staff=False, is_superuser=False,
        )
        Membership.objects.get_or_create(user=user, association=association)
        services.sync_user_access(user)
        folder = ensure_events_folder(association)
        _draft_event(folder, user, *spec["draft"], days=40)
        _submitted_event(folder, user, *spec["submitted"], days=20)
        names.append(f"{spec['username']} / {DEMO_PASSWORD} ({association.name})")
    log("Comptes des associations : " + ", ".join(names) + " ; une activité publiée, une en attente de "
        "validation et un brouillon chacune.")


def _new_event(folder, title, slug, days):

    association = folder.association
    event = EventPage(
        title=title, slug=slug, kind="balade", live=False, summary=f"Une activité proposée par {association.name}.",
        place_name=association.address or "La Grange aux Savoirs", address=association.address,
        postal_code=association.postal_code, city=association.city, latitude=association.latitude,
        longitude=association.longitude, first_date=timezone.localdate() + datetime.timedelta(days=days),
        start_time=datetime.time(14, 0), duration_minutes=120, capacity=15,
    )
    folder.add_child(instance=event)
    return event


def _created_by(event, user):
    log(instance=event, action="wagtail.create", user=user)
    event.save_revision(user=user, log_action=True)


def _draft_event(folder, user, title, slug, days):

    if not EventPage.objects.child_of(folder).filter(slug=slug).exists():
        _created_by(_new_event(folder, title, slug, days), user)


def _submitted_event(folder, user, title, slug, days):

    if EventPage.objects.child_of(folder).filter(slug=slug).exists():
        return
    event = _new_event(folder, title, slug, days)
    _created_by(event, user)
    folder.get_workflow().start(event, user)
