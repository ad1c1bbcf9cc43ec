"""Constants shared by the agenda's models, forms, feeds and other apps."""

from django.utils.translation import gettext_lazy as _

EVENT_KIND_CHOICES = [
    ("atelier", _("Atelier")),
    ("balade", _("Balade nature")),
    ("formation", _("Formation")),
    ("chantier", _("Chantier participatif")),
    ("conference", _("Conférence")),
]
# The "organiser" filter value for events of the biodiversithèque itself (no association).
ORGANISER_SELF = "biodiversitheque"
