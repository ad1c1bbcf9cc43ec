"""Outbox: every e-mail is written here in its business transaction (a registration, a loan, a decision),
then sent by a task. Agenda e-mails are rendered by the task from their registration; other apps write
theirs already rendered (`ateliers.mail.queue_message`) and declare their kinds' labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..email_kinds import EXTRA_KIND_LABELS, register_email_kinds  # noqa: F401 - the kinds other apps declare


class OutgoingEmail(models.Model):
    # A queue, not content: kept out of Wagtail's usage index (4 queries per save otherwise).
    wagtail_reference_index_ignore = True

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    STATUS_CHOICES = [(PENDING, _("À envoyer")), (SENT, _("Envoyé")), (FAILED, _("Échec, sera réessayé"))]

    KIND_CHOICES = [
        ("confirmation", _("Confirmation")),
        ("waiting", _("Liste d'attente")),
        ("promotion", _("Place libérée")),
        ("reminder", _("Rappel")),
        ("occurrence_cancelled", _("Date annulée")),
        ("schedule_changed", _("Changement d'horaire")),
        ("registration_cancelled", _("Inscription annulée")),
        ("link", _("Lien personnel renvoyé")),
    ]

    registration = models.ForeignKey(
        "ateliers.Registration", verbose_name=_("inscription"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="emails",
    )
    kind = models.CharField(_("type"), max_length=40, db_index=True)
    to = models.EmailField(_("destinataire"))
    # Empty until the sending task renders them (outside the registration's transaction).
    subject = models.CharField(_("objet"), max_length=255, blank=True)
    body_text = models.TextField(_("texte"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    ics = models.TextField(_("pièce jointe iCalendar"), blank=True)
    # One optional attachment written with the row (a decision letter as PDF…).
    attachment_name = models.CharField(_("nom de la pièce jointe"), max_length=150, blank=True)
    attachment_type = models.CharField(_("type de la pièce jointe"), max_length=100, blank=True)
    attachment = models.BinaryField(_("pièce jointe"), blank=True, default=b"", editable=False)
    # Makes "send at most once" a database guarantee (e.g. one reminder per registration).
    dedupe_key = models.CharField(max_length=100, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(_("statut"), max_length=20, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to}"

    def get_kind_display(self):
        return dict(self.KIND_CHOICES).get(self.kind) or EXTRA_KIND_LABELS.get(self.kind) or self.kind

    get_kind_display.short_description = _("type")
