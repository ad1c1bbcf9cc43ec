"""Constants shared by the resources' models, forms, imports and exports."""

from django.utils.translation import gettext_lazy as _

# Keys used in URLs, filters and the import file.
RESOURCE_TYPE_CHOICES = [
    ("guide", _("Guides citoyens")),
    ("inventaire", _("Inventaires naturalistes")),
    ("formation", _("Formations")),
]

GUIDE_DIFFICULTY_CHOICES = [
    ("facile", _("Facile")),
    ("moyen", _("Intermédiaire")),
    ("difficile", _("Exigeant")),
]
GUIDE_COST_CHOICES = [
    ("gratuit", _("Gratuit")),
    ("faible", _("Moins de 20 €")),
    ("moyen", _("De 20 à 100 €")),
    ("eleve", _("Plus de 100 €")),
]
TRAINING_FORMAT_CHOICES = [
    ("presentiel", _("En présentiel")),
    ("distanciel", _("À distance")),
    ("mixte", _("Mixte")),
]

TAXON_GROUP_CHOICES = [
    ("oiseaux", _("Oiseaux")),
    ("mammiferes", _("Mammifères")),
    ("amphibiens", _("Amphibiens")),
    ("reptiles", _("Reptiles")),
    ("poissons", _("Poissons")),
    ("insectes", _("Insectes")),
    ("arachnides", _("Araignées et autres arachnides")),
    ("mollusques", _("Mollusques")),
    ("crustaces", _("Crustacés")),
    ("plantes", _("Plantes")),
    ("champignons", _("Champignons")),
    ("lichens", _("Lichens")),
    ("autres", _("Autres")),
]

# Statuses a visitor can filter on; each is a boolean field of Taxon.
TAXON_STATUS_CHOICES = [
    ("protege", _("Espèce protégée")),
    ("menace", _("Espèce menacée")),
    ("envahissant", _("Espèce exotique envahissante")),
]
STATUS_FIELDS = {"protege": "is_protected", "menace": "is_threatened", "envahissant": "is_invasive"}

# Statuses by territory (TaxonStatus), the source of truth of the flags above.
STATUS_KIND_PROTECTION = "protection"
STATUS_KIND_RED_LIST = "liste-rouge"
STATUS_KIND_INVASIVE = "envahissante"
STATUS_KIND_OTHER = "reglementation"
STATUS_KIND_CHOICES = [
    (STATUS_KIND_PROTECTION, _("Protection")),
    (STATUS_KIND_RED_LIST, _("Liste rouge")),
    (STATUS_KIND_INVASIVE, _("Espèce exotique envahissante")),
    (STATUS_KIND_OTHER, _("Autre réglementation")),
]
# UICN categories "vulnérable", "en danger", "en danger critique" (CR* : possibly extinct), and the code given
# to a status entered by hand when only "menacée" is known.
THREATENED_CODES = ("VU", "EN", "CR", "CR*", "MENACE")
STATUS_SOURCE_CHOICES = [
    ("saisie", _("Saisie")),
    ("bdc", _("BDC statuts (INPN)")),
]
# Territory of the statuses entered by hand or derived from the former yes/no flags.
NATIONAL_TERRITORY = ("France métropolitaine", "TERFXFR")
# Order of the badges: national first, then regions, then departments.
TERRITORY_LEVELS = [(0, _("National")), (1, _("Région")), (2, _("Département")), (3, _("Autre"))]

# TAXREF ranks (RANG) a visitor may read; others are shown as their code.
RANK_LABELS = {
    "KD": _("règne"), "PH": _("phylum"), "CL": _("classe"), "OR": _("ordre"), "FM": _("famille"),
    "SBFM": _("sous-famille"), "TR": _("tribu"), "GN": _("genre"), "AGES": _("agrégat"), "ES": _("espèce"),
    "SSES": _("sous-espèce"), "NAT": _("natio"), "VAR": _("variété"), "SVAR": _("sous-variété"),
    "FO": _("forme"), "CAR": _("cultivar"), "HYB": _("hybride"),
}

OBSERVATION_SOURCE_CHOICES = [
    ("saisie", _("Saisie dans l'administration")),
    ("darwin-core", _("Darwin Core")),
    ("inaturalist", _("iNaturalist")),
    ("geonature", _("INPN / GeoNature")),
]

# Themes (slugs of biodiversitheque.Theme) whose guides and events concern a taxonomic group.
GROUP_THEMES = {
    "oiseaux": ["oiseaux", "haies"],
    "mammiferes": ["mammiferes"],
    "amphibiens": ["mares-et-zones-humides"],
    "reptiles": ["haies", "mares-et-zones-humides"],
    "poissons": ["eau", "mares-et-zones-humides"],
    "insectes": ["insectes-et-pollinisateurs"],
    "arachnides": ["insectes-et-pollinisateurs"],
    "mollusques": ["sols-et-compost", "jardin-nourricier"],
    "crustaces": ["eau", "mares-et-zones-humides"],
    "plantes": ["prairies-et-fleurs-sauvages", "arbres"],
    "champignons": ["sols-et-compost", "arbres"],
    "lichens": ["arbres"],
}
INVASIVE_THEME = "especes-exotiques-envahissantes"
