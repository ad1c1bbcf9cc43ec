"""Constants of the greening permits shared by models, forms, exports and the admin."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEPOSITED = "deposee"
INCOMPLETE = "incomplete"
INSTRUCTION = "en_instruction"
OPINIONS = "avis_services"
GRANTED = "accordee"
REFUSED = "refusee"
EXPIRED = "expiree"
RENEWED = "renouvelee"
ABANDONED = "abandonnee"

STATUS_CHOICES = [
    (DEPOSITED, _("Déposée")),
    (INCOMPLETE, _("Incomplète")),
    (INSTRUCTION, _("En instruction")),
    (OPINIONS, _("Avis des services")),
    (GRANTED, _("Accordée")),
    (REFUSED, _("Refusée")),
    (EXPIRED, _("Expirée")),
    (RENEWED, _("Renouvelée")),
    (ABANDONED, _("Abandonnée")),
]
STATUS_LABELS = dict(STATUS_CHOICES)
# The "silence vaut accord" clock runs only on a complete request not yet decided.
PENDING_STATUSES = (DEPOSITED, INSTRUCTION, OPINIONS)
OPEN_STATUSES = (DEPOSITED, INCOMPLETE, INSTRUCTION, OPINIONS)
VALID_STATUSES = (GRANTED, RENEWED)  # shown on the public map and in the open data

APPLICANT_KIND_CHOICES = [
    ("particulier", _("Particulier")),
    ("collectif", _("Collectif d'habitants")),
    ("association", _("Association de l'annuaire")),
    ("ecole", _("École")),
    ("commerce", _("Commerce")),
    ("copropriete", _("Copropriété")),
]
APPLICANT_KIND_LABELS = dict(APPLICANT_KIND_CHOICES)
# Kinds that name an organisation (its name is asked, the association is chosen in the directory).
ORGANISATION_KINDS = ("collectif", "ecole", "commerce", "copropriete")

WINDOW_ALWAYS = "always"
WINDOW_SEASONS = "seasons"
WINDOW_CHOICES = [(WINDOW_ALWAYS, _("Toute l'année")), (WINDOW_SEASONS, _("Au printemps et à l'automne"))]

MAX_PHOTOS = 3
PHOTO_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}

EMAIL_KINDS = {
    "permit_received": _("Permis : demande reçue"),
    "permit_incomplete": _("Permis : complément demandé"),
    "permit_decision": _("Permis : décision"),
    "permit_tacit": _("Permis : accord tacite"),
    "permit_deadline_reminder": _("Permis : échéance proche (agents)"),
    "permit_renewal": _("Permis : renouvellement à demander"),
    "permit_expired": _("Permis : expiré"),
}

INSTRUCTORS_GROUP = "Instructeurs des permis"
DECISION_GROUP = "Décision des permis"
SERVICE_GROUP_PREFIX = "Permis — avis "


def services():
    """[(code, label)] of the services that give an opinion (settings.PERMIT_SERVICES)."""
    return list(getattr(settings, "PERMIT_SERVICES", [
        ("voirie", "Voirie"), ("espaces_verts", "Espaces verts"), ("elu", "Élu·e de quartier"),
    ]))


def service_labels():
    return dict(services())


def required_services():
    """Codes of the services whose opinion is needed before a decision (default: all of them)."""
    codes = [code for code, _label in services()]
    return list(getattr(settings, "PERMIT_REQUIRED_SERVICES", codes))


def service_group_name(code):
    return f"{SERVICE_GROUP_PREFIX}{service_labels().get(code, code)}"


def decision_delay_months():
    return int(getattr(settings, "PERMIT_DECISION_DELAY_MONTHS", 2))


def validity_years():
    return int(getattr(settings, "PERMIT_VALIDITY_YEARS", 3))


def reminder_days():
    return int(getattr(settings, "PERMIT_DEADLINE_REMINDER_DAYS", 7))


def renewal_notice_days():
    return int(getattr(settings, "PERMIT_RENEWAL_NOTICE_DAYS", 60))


def retention_days():
    return int(getattr(settings, "PERMIT_RETENTION_DAYS", getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", 90)))


def photo_max_bytes():
    return int(getattr(settings, "PERMIT_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def geocoder_url():
    """URL of an address search service (BAN api-adresse style); empty: no geocoding."""
    return getattr(settings, "PERMIT_GEOCODER_URL", "") or ""
