"""Observations of an inventory: one row per record of a taxon at a date and place."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from biodiversitheque.core.fields import latitude_field, longitude_field

from ressources.choices import OBSERVATION_SOURCE_CHOICES, TAXON_GROUP_CHOICES
from ressources.sensitivity import needs_blurring

from .taxa import TaxonResolver


class ObservationQuerySet(models.QuerySet):
    def public(self):
        """Observations of published inventories, with what public outputs need in the same query."""
        return self.filter(inventory__live=True).select_related("taxon")


class Observation(models.Model):
    TAXON_GROUP_CHOICES = TAXON_GROUP_CHOICES
    SOURCE_CHOICES = OBSERVATION_SOURCE_CHOICES

    # A plain foreign key, not a ParentalKey: tens of thousands of rows must not be copied into every
    # page revision nor edited inline; they are listed in their own admin view.
    inventory = models.ForeignKey(
        "ressources.InventoryPage", verbose_name=_("inventaire"), on_delete=models.CASCADE,
        related_name="observations",
    )
    taxon = models.ForeignKey(
        "ressources.Taxon", verbose_name=_("taxon"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="observations",
    )
    scientific_name = models.CharField(_("nom scientifique"), max_length=200)
    vernacular_name = models.CharField(_("nom vernaculaire"), max_length=200, blank=True)
    cd_nom = models.PositiveIntegerField(
        _("identifiant TAXREF (cd_nom)"), null=True, blank=True, db_index=True
    )
    taxon_group = models.CharField(_("groupe taxonomique"), max_length=20, choices=TAXON_GROUP_CHOICES)
    is_protected = models.BooleanField(_("espèce protégée"), default=False)
    is_invasive = models.BooleanField(_("espèce exotique envahissante"), default=False)
    is_sensitive = models.BooleanField(
        _("localisation sensible"), default=False,
        help_text=_("Donnée marquée sensible ou floutée à la source : sa localisation précise n'est pas publiée."),
    )
    count = models.PositiveIntegerField(_("effectif"), default=1)
    observed_on = models.DateField(_("date d'observation"))
    latitude = latitude_field()
    longitude = longitude_field()
    precision = models.PositiveIntegerField(
        _("précision (m)"), null=True, blank=True, help_text=_("Incertitude sur la localisation, en mètres.")
    )
    altitude = models.IntegerField(_("altitude (m)"), null=True, blank=True)
    occurrence_id = models.CharField(
        _("identifiant de l'observation"), max_length=255, blank=True, default="",
        help_text=_("Identifiant stable dans le fichier d'origine : une nouvelle importation ne crée pas de doublon."),
    )
    source = models.CharField(_("source"), max_length=20, choices=SOURCE_CHOICES, default="saisie")
    # The SINP's permanent identifier (unique_id_sinp): given once, kept across re-imports and exports.
    sinp_id = models.UUIDField(_("identifiant SINP"), default=uuid.uuid4, unique=True, editable=False)

    objects = ObservationQuerySet.as_manager()

    panels = [
        FieldPanel("inventory"),
        FieldRowPanel([FieldPanel("scientific_name"), FieldPanel("vernacular_name")]),
        FieldRowPanel([FieldPanel("cd_nom"), FieldPanel("taxon_group")]),
        FieldPanel("taxon"),
        FieldRowPanel([FieldPanel("is_protected"), FieldPanel("is_invasive"), FieldPanel("is_sensitive")]),
        FieldRowPanel([FieldPanel("count"), FieldPanel("observed_on")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("precision"),
                       FieldPanel("altitude")]),
        FieldRowPanel([FieldPanel("occurrence_id"), FieldPanel("source")]),
    ]

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["observed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inventory", "occurrence_id"], condition=~Q(occurrence_id=""),
                name="unique_occurrence_id_per_inventory",
            )
        ]
        indexes = [models.Index(fields=["inventory", "taxon_group"], name="observation_inventory_group")]

    def __str__(self):
        return f"{self.scientific_name} ({self.observed_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        # Code that creates observations with names only (admin, demo) still gets a taxon.
        if self.taxon_id is None and self.scientific_name:
            self.taxon = TaxonResolver().resolve(
                scientific_name=self.scientific_name, vernacular_name=self.vernacular_name, cd_nom=self.cd_nom,
                group=self.taxon_group, is_protected=self.is_protected, is_invasive=self.is_invasive,
            )
            if not self.taxon_group:
                self.taxon_group = self.taxon.group
        super().save(*args, **kwargs)

    @property
    def needs_blurring(self):
        return needs_blurring(self)
