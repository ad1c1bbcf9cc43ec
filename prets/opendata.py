"""Lending's open data in the core catalogue: the facilities file (SCDL « Équipements ») and the things and
seed varieties with their availability (/api/prets/)."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from biodiversitheque.core.opendata import Dataset, Distribution

from . import equipements
from .models import LendingCatalogPage, SeedVarietyPage, ThingPage


def datasets():
    catalogue = LendingCatalogPage.objects.live().public().first()
    landing = (catalogue.url or "") if catalogue else ""
    published = [queryset.live().public().aggregate(last=Max("last_published_at"))["last"]
                 for queryset in (ThingPage.objects, SeedVarietyPage.objects, LendingCatalogPage.objects)]
    last = max((moment for moment in published if moment), default=None)
    found = [Dataset(
        key="equipements",
        title=_("Équipements : la biodiversithèque et ses points de prêt"),
        description=_("La biodiversithèque et ses points de prêt au format national des équipements collectifs "
                      "publics (SCDL « Équipements » %(version)s) : adresse, coordonnées, horaires d’ouverture, "
                      "contact.") % {"version": equipements.SCHEMA_VERSION},
        distributions=[Distribution(_("Équipements (CSV, schéma SCDL)"), reverse("opendata_equipements"),
                                    "text/csv", conforms_to=equipements.SCHEMA_URL)],
        modified=last,
        keywords=(_("équipements"), _("bibliothèque"), _("points de prêt"), _("biodiversité")),
        conforms_to=equipements.SCHEMA_URL,
        landing_path=landing,
    )]
    if catalogue is not None:
        found.append(Dataset(
            key="prets",
            title=_("Outils et graines à emprunter"),
            description=_("Les outils, le matériel d’observation, les kits et les livres de l’outilthèque, et les "
                          "variétés de la grainothèque, avec leur disponibilité. Aucune donnée personnelle."),
            distributions=[Distribution(_("Catalogue de prêt et disponibilités (JSON)"), reverse("prets_api"),
                                        "application/json")],
            modified=last,
            keywords=(_("outilthèque"), _("grainothèque"), _("prêt"), _("semences")),
            landing_path=landing,
        ))
    return found
