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
