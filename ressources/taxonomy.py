"""Taxon resolution shared by imports, the admin and the demo: groups, default statuses, cached lookups."""

import csv
from functools import lru_cache
from pathlib import Path

from unidecode import unidecode

from .models import Taxon

REFERENCE_FILE = Path(__file__).parent / "data" / "statuts_especes.csv"

# Labels found in exports (Darwin Core class/kingdom, iNaturalist iconic taxon, INPN group2/classe),
# lower-cased and without accents, mapped to our groups.
GROUP_ALIASES = {
    "oiseaux": "oiseaux", "oiseau": "oiseaux", "aves": "oiseaux",
    "mammiferes": "mammiferes", "mammifere": "mammiferes", "mammalia": "mammiferes", "chiroptera": "mammiferes",
    "amphibiens": "amphibiens", "amphibien": "amphibiens", "amphibia": "amphibiens",
    "reptiles": "reptiles", "reptile": "reptiles", "reptilia": "reptiles", "squamata": "reptiles",
    "testudines": "reptiles",
    "poissons": "poissons", "poisson": "poissons", "actinopterygii": "poissons", "actinopteri": "poissons",
    "insectes": "insectes", "insecte": "insectes", "insecta": "insectes", "hexapoda": "insectes",
    "arachnides": "arachnides", "arachnida": "arachnides", "araignees": "arachnides",
    "mollusques": "mollusques", "mollusca": "mollusques", "gastropoda": "mollusques", "gasteropodes": "mollusques",
    "bivalvia": "mollusques", "bivalves": "mollusques",
    "crustaces": "crustaces", "crustacea": "crustaces", "malacostraca": "crustaces",
    "plantes": "plantes", "plante": "plantes", "plantae": "plantes", "tracheophyta": "plantes",
    "angiospermes": "plantes", "gymnospermes": "plantes", "fougeres": "plantes", "pteridophytes": "plantes",
    "mousses": "plantes", "bryophyta": "plantes", "magnoliopsida": "plantes", "liliopsida": "plantes",
    "champignons": "champignons", "fungi": "champignons", "ascomycetes": "champignons",
    "basidiomycetes": "champignons", "basidiomycota": "champignons", "ascomycota": "champignons",
    "lichens": "lichens", "lecanoromycetes": "lichens",
}
# Every native amphibian and reptile, and every wild bird not listed as game or pest in the reference
# file, is protected in France: an unknown taxon of these groups is treated as protected.
PROTECTED_GROUPS = {"amphibiens", "reptiles", "oiseaux"}


def normalize_label(value):
    return unidecode(value or "").strip().lower()


def normalize_group(*labels):
    """Our group key for the first recognised label (most precise first), or ''."""
    for label in labels:
        key = GROUP_ALIASES.get(normalize_label(label))
        if key:
            return key
    return ""


@lru_cache(maxsize=1)
def reference_statuses():
    """Statuses of common taxa, by lower-cased scientific name, from the file shipped with the portal."""
    with REFERENCE_FILE.open(encoding="utf-8") as handle:
        return {
            row["nom_scientifique"].strip().lower(): {
                "vernacular_name": row["nom_vernaculaire"].strip(),
                "group": row["groupe"].strip(),
                "is_protected": row["protege"] == "1",
                "is_threatened": row["menace"] == "1",
                "is_invasive": row["envahissant"] == "1",
            }
            for row in csv.DictReader(handle, delimiter=";")
        }


class TaxonResolver:
    """Finds or creates taxa, remembering them so an import of many rows asks the database once per taxon."""

    def __init__(self):
        self.by_cd_nom = {}
        self.by_name = {}

    def preload(self):
        for taxon in Taxon.objects.all():
            self._remember(taxon)
        return self

    def _remember(self, taxon):
        if taxon.cd_nom:
            self.by_cd_nom[taxon.cd_nom] = taxon
        self.by_name.setdefault(taxon.scientific_name.lower(), taxon)

    def find(self, scientific_name="", cd_nom=None):
        taxon = self.by_cd_nom.get(cd_nom) if cd_nom else None
        if taxon is None and scientific_name:
            taxon = self.by_name.get(scientific_name.lower())
        if taxon is None:
            queryset = Taxon.objects.all()
            if cd_nom:
                taxon = queryset.filter(cd_nom=cd_nom).first()
            if taxon is None and scientific_name:
                taxon = queryset.filter(scientific_name__iexact=scientific_name).order_by("pk").first()
            if taxon is not None:
                self._remember(taxon)
        return taxon

    def resolve(self, scientific_name, vernacular_name="", cd_nom=None, group="", is_protected=False,
                is_invasive=False, is_threatened=False):
        """The taxon for these names, created with default statuses when new; known statuses are only added."""
        taxon = self.find(scientific_name, cd_nom)
        if taxon is not None:
            changed = []
            if cd_nom and not taxon.cd_nom and cd_nom not in self.by_cd_nom:
                taxon.cd_nom = cd_nom
                changed.append("cd_nom")
            if group and group != "autres" and taxon.group == "autres":
                taxon.group = group
                changed.append("group")
            if vernacular_name and not taxon.vernacular_name:
                taxon.vernacular_name = vernacular_name[:200]
                changed.append("vernacular_name")
            for field, value in (("is_protected", is_protected), ("is_invasive", is_invasive),
                                 ("is_threatened", is_threatened)):
                if value and not getattr(taxon, field):
                    setattr(taxon, field, True)
                    changed.append(field)
            if changed:
                taxon.save(update_fields=changed)
                self._remember(taxon)
            return taxon
        reference = reference_statuses().get(scientific_name.lower(), {})
        group = group or reference.get("group") or "autres"
        taxon = Taxon.objects.create(
            cd_nom=cd_nom or None,
            scientific_name=scientific_name[:200],
            vernacular_name=(vernacular_name or reference.get("vernacular_name", ""))[:200],
            group=group,
            is_protected=is_protected or (reference["is_protected"] if reference else group in PROTECTED_GROUPS),
            is_threatened=is_threatened or reference.get("is_threatened", False),
            is_invasive=is_invasive or reference.get("is_invasive", False),
        )
        self._remember(taxon)
        return taxon
