"""What was sent to OpenAgenda: our key of a location or a date, the uid OpenAgenda gave it, and a
fingerprint of the body sent, so a second push updates instead of duplicating and skips the unchanged."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpenAgendaRecord(models.Model):
    LOCATION = "location"
    EVENT = "event"
    KIND_CHOICES = [(LOCATION, _("Lieu")), (EVENT, _("Événement"))]

    agenda_uid = models.CharField(_("agenda OpenAgenda"), max_length=40)
    kind = models.CharField(_("type"), max_length=20, choices=KIND_CHOICES)
    key = models.CharField(_("identifiant chez nous"), max_length=80)
    remote_uid = models.CharField(_("identifiant OpenAgenda"), max_length=40)
    fingerprint = models.CharField(_("empreinte du dernier envoi"), max_length=64)
    pushed_at = models.DateTimeField(_("envoyé le"), auto_now=True)

    class Meta:
        verbose_name = _("envoi à OpenAgenda")
        verbose_name_plural = _("envois à OpenAgenda")
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_uid", "kind", "key"], name="ateliers_openagenda_record_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} → {self.remote_uid}"
