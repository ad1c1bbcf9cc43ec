"""Constants shared by the lending models, forms, services and the API."""

from django.utils.translation import gettext_lazy as _

CATEGORY_CHOICES = [
    ("outils", _("Outils de jardin")),
    ("observation", _("Matériel d'observation")),
    ("kits", _("Kits pédagogiques")),
    ("livres", _("Livres")),
]

CONDITION_CHOICES = [
    ("neuf", _("Neuf")),
    ("bon", _("Bon état")),
    ("use", _("Usé")),
    ("abime", _("Abîmé")),
]

WEEKDAY_CHOICES = [
    (0, _("lundi")), (1, _("mardi")), (2, _("mercredi")), (3, _("jeudi")),
    (4, _("vendredi")), (5, _("samedi")), (6, _("dimanche")),
]

MONTH_CHOICES = [
    (1, _("janvier")), (2, _("février")), (3, _("mars")), (4, _("avril")), (5, _("mai")), (6, _("juin")),
    (7, _("juillet")), (8, _("août")), (9, _("septembre")), (10, _("octobre")), (11, _("novembre")),
    (12, _("décembre")),
]

# Unit (exemplaire) states.
UNIT_AVAILABLE = "available"
UNIT_MAINTENANCE = "maintenance"
UNIT_RETIRED = "retired"
UNIT_STATUS_CHOICES = [
    (UNIT_AVAILABLE, _("En circulation")),
    (UNIT_MAINTENANCE, _("En maintenance")),
    (UNIT_RETIRED, _("Retiré")),
]

# Loan states: a reservation becomes a loan at the desk, then is returned.
LOAN_RESERVED = "reserved"
LOAN_OUT = "out"
LOAN_RETURNED = "returned"
LOAN_CANCELLED = "cancelled"
LOAN_STATUS_CHOICES = [
    (LOAN_RESERVED, _("Réservé")),
    (LOAN_OUT, _("En prêt")),
    (LOAN_RETURNED, _("Rendu")),
    (LOAN_CANCELLED, _("Annulé")),
]
LOAN_ACTIVE = (LOAN_RESERVED, LOAN_OUT)

# Queue (file d'attente) states.
HOLD_WAITING = "waiting"
HOLD_OFFERED = "offered"
HOLD_FULFILLED = "fulfilled"
HOLD_EXPIRED = "expired"
HOLD_CANCELLED = "cancelled"
HOLD_STATUS_CHOICES = [
    (HOLD_WAITING, _("En attente")),
    (HOLD_OFFERED, _("Exemplaire proposé")),
    (HOLD_FULFILLED, _("Servi")),
    (HOLD_EXPIRED, _("Offre expirée")),
    (HOLD_CANCELLED, _("Annulé")),
]

SEED_GIVE = "give"
SEED_TAKE = "take"
SEED_MOVEMENT_CHOICES = [(SEED_GIVE, _("Don de sachets")), (SEED_TAKE, _("Sachets pris"))]

EMAIL_KINDS = {
    "prets_signup": _("Prêts : lien de l'espace emprunteur"),
    "prets_reserved": _("Prêts : réservation"),
    "prets_offer": _("Prêts : exemplaire proposé (file d'attente)"),
    "prets_reminder": _("Prêts : rappel de retour"),
    "prets_overdue": _("Prêts : retard"),
}

LENDING_GROUP = "Prêts"
