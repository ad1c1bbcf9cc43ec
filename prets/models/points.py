"""Lending points: where things are kept, picked up and returned, with their opening days and hours."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from biodiversitheque.core.fields import latitude_field, longitude_field

from ..choices import WEEKDAY_CHOICES


class LendingPoint(ClusterableModel):
    name = models.CharField(_("nom"), max_length=150, unique=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True,
                               help_text=_("Numéro et voie, par exemple « 4 rue des Tilleuls »."))
    # Postal code, commune and point: the national facilities file (SCDL « Équipements ») needs them.
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    description = models.TextField(_("accès, informations pratiques"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("description"),
        InlinePanel("opening_hours", label=_("Horaires d'ouverture"), min_num=0),
    ]

    class Meta:
        verbose_name = _("point de prêt")
        verbose_name_plural = _("points de prêt")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def open_weekdays(self):
        # Prefetched opening hours are used when present (catalogue lists).
        return {slot.weekday for slot in self.opening_hours.all()}

    def is_open_on(self, day):
        return day.weekday() in self.open_weekdays()

    def next_open_day(self, day, limit=14):
        """The first opening day on or after `day` (None when the point never opens)."""
        import datetime

        weekdays = self.open_weekdays()
        for offset in range(limit):
            candidate = day + datetime.timedelta(days=offset)
            if candidate.weekday() in weekdays:
                return candidate
        return None

    def hours_display(self):
        labels = dict(WEEKDAY_CHOICES)
        return [
            f"{labels[slot.weekday]} {slot.opens:%H:%M}–{slot.closes:%H:%M}"
            for slot in sorted(self.opening_hours.all(), key=lambda slot: (slot.weekday, slot.opens))
        ]


class OpeningHours(Orderable):
    point = ParentalKey(LendingPoint, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=WEEKDAY_CHOICES)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("L'heure de fermeture doit suivre l'heure d'ouverture.")})
