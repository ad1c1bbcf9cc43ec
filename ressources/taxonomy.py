"""Taxonomic reference data, without the database: group labels of exports and the bundled statuses file.

Taxa themselves are found or created by ressources.models.TaxonResolver, which reads these.
"""

from functools import lru_cache
from pathlib import Path

from unidecode import unidecode

from biodiversitheque.core.csvio import read_csv

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
    table = read_csv(REFERENCE_FILE)
    try:
        return {
            row["nomscientifique"].strip().lower(): {
                "vernacular_name": row["nomvernaculaire"].strip(),
                "group": row["groupe"].strip(),
                "is_protected": row["protege"] == "1",
                "is_threatened": row["menace"] == "1",
                "is_invasive": row["envahissant"] == "1",
            }
            for _line, row in table.records()
        }
    finally:
        table.close()
