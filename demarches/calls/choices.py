"""Constants shared by the call models, forms, exports and the demo."""

from django.utils.translation import gettext_lazy as _

KIND_CALL = "appel_a_projets"
KIND_AMI = "ami"
KIND_MICRO = "micro_subventions"
KIND_CHOICES = [
    (KIND_CALL, _("Appel à projets")),
    (KIND_AMI, _("Appel à manifestation d’intérêt")),
    (KIND_MICRO, _("Micro-subventions")),
]

APPLICANT_TYPE_CHOICES = [
    ("commune", _("Commune ou autre collectivité territoriale")),
    ("epci", _("EPCI (intercommunalité)")),
    ("centre_social", _("Centre social")),
    ("ccas", _("CCAS ou CIAS")),
    ("association_habitants", _("Association d’habitants")),
    ("association", _("Association (animation, accompagnement, éducation populaire)")),
    ("groupement", _("Groupement d’acteurs locaux")),
    ("particulier", _("Particulier ou collectif d’habitants")),
    ("autre", _("Autre structure")),
]
APPLICANT_TYPE_LABELS = dict(APPLICANT_TYPE_CHOICES)

# Call status as the public page and the API show it.
STATUS_UPCOMING = "a_venir"
STATUS_OPEN = "ouvert"
STATUS_CLOSED = "clos"
STATUS_RESULTS = "resultats"
STATUS_LABELS = {
    STATUS_UPCOMING: _("À venir"),
    STATUS_OPEN: _("Ouvert"),
    STATUS_CLOSED: _("Clos"),
    STATUS_RESULTS: _("Résultats publiés"),
}

DRAFT = "brouillon"
SUBMITTED = "depose"
APPLICATION_STATUS_CHOICES = [(DRAFT, _("Brouillon")), (SUBMITTED, _("Déposé"))]

PENDING = ""
SELECTED = "retenu"
WAITING_LIST = "liste_complementaire"
REJECTED = "non_retenu"
DECISION_CHOICES = [
    (PENDING, _("En attente")),
    (SELECTED, _("Retenu")),
    (WAITING_LIST, _("Liste complémentaire")),
    (REJECTED, _("Non retenu")),
]

MILESTONE_PENDING = "en_attente"
MILESTONE_APPROVED = "publie"
MILESTONE_REJECTED = "refuse"
MILESTONE_STATUS_CHOICES = [
    (MILESTONE_PENDING, _("À valider")),
    (MILESTONE_APPROVED, _("Publié")),
    (MILESTONE_REJECTED, _("Refusé")),
]

INSTALMENT_PLANNED = "prevu"
INSTALMENT_PAID = "verse"
INSTALMENT_STATUS_CHOICES = [(INSTALMENT_PLANNED, _("Prévu")), (INSTALMENT_PAID, _("Versé"))]

SCORE_MIN, SCORE_MAX = 0, 5

INSTRUCTORS_GROUP = "Instructeurs des appels"
COMMITTEE_GROUP_PREFIX = "Comité — "

EMAIL_KINDS = {
    "call_link": _("Appel à projets : lien du dossier"),
    "call_invitation": _("Appel à projets : invitation d’un co-porteur"),
    "call_receipt": _("Appel à projets : accusé de dépôt"),
    "call_reminder": _("Appel à projets : rappel avant clôture"),
    "call_info_request": _("Appel à projets : demande de compléments"),
    "call_decision": _("Appel à projets : décision"),
}

# Uploaded files: what their first bytes must look like (sniffed, never trusted from the name).
ALLOWED_SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    # OpenDocument and Office Open XML files are zip archives.
    "application/zip": (b"PK\x03\x04",),
}
ALLOWED_EXTENSIONS = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "application/zip": {".odt", ".ods", ".docx", ".xlsx", ".zip"},
}
