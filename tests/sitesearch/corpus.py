"""The demo content of CONTENT.md (titles, slugs, themes), with a realistic French summary and body each.

Stands in for `call_command("load_demo")` until the demo loader lands: swap `load_corpus` for it then.
Pages are published with save_revision().publish(), so the index is filled by the signals, as in production.
"""

import datetime

from django.db import transaction

from associations.models import Association
from biodiversitheque.core.models import Audience, StandardPage, Theme
from ressources.models import GuidePage, InventoryPage, Observation, TrainingPage

GUIDES = [
    ("Faire une mare naturelle", "faire-une-mare-naturelle", ["mares-et-zones-humides"],
     "Creuser une petite mare sans bâche plastique pour accueillir tritons, grenouilles et libellules.",
     "Choisissez un endroit ensoleillé une partie de la journée. Prévoyez des berges en pente douce et des plantes "
     "aquatiques locales. Ne mettez jamais de poissons : ils mangent les larves d'amphibiens."),
    ("Planter une haie champêtre", "planter-une-haie-champetre", ["haies", "oiseaux"],
     "Une haie d'essences locales variées abrite les oiseaux et protège le jardin du vent.",
     "Plantez de novembre à mars, hors période de gel, des arbustes comme le noisetier, l'aubépine, le cornouiller "
     "et le sureau. Paillez le pied des jeunes plants et taillez hors de la nidification."),
    ("Construire un hôtel à insectes", "construire-un-hotel-a-insectes", ["insectes-et-pollinisateurs"],
     "Fabriquer un abri en bois pour les abeilles solitaires, les coccinelles et les chrysopes.",
     "Utilisez du bois non traité, des tiges creuses et des bûches percées. Orientez l'abri au sud-est, à l'abri "
     "de la pluie, près de fleurs mellifères."),
    ("Composter ses déchets de cuisine et de jardin", "composter-ses-dechets", ["sols-et-compost", "jardin-nourricier"],
     "Transformer épluchures et tontes en terreau pour le potager grâce au compostage.",
     "Alternez matières vertes et matières brunes, aérez le tas régulièrement et gardez-le humide. Le composteur "
     "collectif du quartier accueille aussi vos biodéchets. Le lombricompostage convient aux appartements."),
    ("Accueillir le hérisson au jardin", "accueillir-le-herisson", ["mammiferes"],
     "Le hérisson d'Europe, espèce protégée, mange limaces et insectes : aidez-le à circuler et à hiberner.",
     "Percez un passage de 13 cm dans les clôtures, laissez un tas de feuilles mortes, bannissez les granulés "
     "anti-limaces. Ne donnez jamais de lait, seulement de l'eau."),
    ("Les abeilles sauvages : les reconnaître et les accueillir", "les-abeilles-sauvages", ["insectes-et-pollinisateurs"],
     "Près de mille espèces d'abeilles sauvages vivent en France : osmies, andrènes, bourdons, xylocopes.",
     "La plupart nichent dans le sol ou dans des tiges. Gardez des zones de terre nue et des fleurs locales du "
     "printemps à l'automne. Ces pollinisateurs sont essentiels aux vergers."),
    ("Installer des nichoirs pour les oiseaux", "installer-des-nichoirs", ["oiseaux"],
     "Poser des nichoirs adaptés aux mésanges, rougequeues et moineaux avant le printemps.",
     "Fixez le nichoir entre deux et trois mètres de haut, trou d'envol à l'abri des vents dominants. Nettoyez-le "
     "en automne. Le diamètre du trou détermine l'espèce accueillie."),
    ("Pratiquer la fauche tardive", "pratiquer-la-fauche-tardive", ["prairies-et-fleurs-sauvages"],
     "Faucher une fois par an, à la fin de l'été, pour laisser les fleurs sauvages monter en graines.",
     "La tonte fréquente appauvrit la prairie. Une fauche tardive en septembre, avec exportation de l'herbe "
     "coupée, favorise les orchidées, les papillons et les sauterelles."),
    ("Récupérer l'eau de pluie", "recuperer-l-eau-de-pluie", ["eau", "jardin-nourricier"],
     "Installer une cuve ou un récupérateur sous la gouttière pour arroser le potager.",
     "Un récupérateur de 300 litres suffit pour un petit jardin. Couvrez la cuve contre les moustiques. "
     "L'arrosage au pied, le soir, économise l'eau."),
    ("Reconnaître et gérer les plantes exotiques envahissantes", "plantes-exotiques-envahissantes",
     ["especes-exotiques-envahissantes"],
     "Renouée du Japon, buddleia, ambroisie : les identifier et éviter de les disperser.",
     "Ne jetez jamais les déchets de renouée au compost ni en bord de rivière. Arrachez l'ambroisie avant la "
     "floraison avec des gants. Signalez les foyers à la mairie."),
    ("Semer une prairie fleurie locale", "semer-une-prairie-fleurie", ["prairies-et-fleurs-sauvages", "insectes-et-pollinisateurs"],
     "Semer un mélange de graines locales labellisées Végétal local pour nourrir les pollinisateurs.",
     "Préparez un sol pauvre, semez en automne ou au printemps, roulez légèrement. Bleuets, coquelicots, "
     "marguerites et centaurées fleurissent dès la première année."),
    ("Végétaliser son pied d'immeuble avec le permis de végétaliser", "vegetaliser-son-pied-d-immeuble", ["nature-en-ville"],
     "Fleurir un pied d'arbre ou un trottoir devant chez soi avec l'autorisation de la ville.",
     "Le permis de végétaliser est gratuit : déposez la demande en mairie. Choisissez des plantes vivaces peu "
     "gourmandes en eau et entretenez sans pesticides."),
    ("Laisser un coin sauvage au jardin", "laisser-un-coin-sauvage", ["nature-en-ville", "insectes-et-pollinisateurs"],
     "Un carré d'herbes hautes, d'orties et de ronces devient un refuge pour la petite faune.",
     "Les orties nourrissent les chenilles du paon-du-jour et de la petite tortue. Un tas de bois mort abrite "
     "carabes et orvets. Ne tondez pas ce coin."),
    ("Observer et compter les papillons du jardin", "observer-les-papillons", ["sciences-participatives", "insectes-et-pollinisateurs"],
     "Participer à l'Opération papillons : compter chaque mois les papillons de son jardin.",
     "Notez les espèces vues, comme le vulcain, le citron ou la piéride du chou, et transmettez vos données aux "
     "chercheurs du Muséum. Aucune capture n'est nécessaire."),
    ("Éteindre la nuit pour la faune nocturne", "eteindre-la-nuit", ["nature-en-ville", "mammiferes"],
     "La pollution lumineuse désoriente chauves-souris, papillons de nuit et oiseaux migrateurs.",
     "Éteignez l'éclairage extérieur inutile, orientez les lampes vers le sol et préférez une lumière ambrée. "
     "La commune éteint l'éclairage public de minuit à cinq heures."),
]

INVENTORIES = [
    ("Les amphibiens de la mare du parc des Tilleuls", "amphibiens-mare-des-tilleuls", ["mares-et-zones-humides"],
     "les-amis-des-mares", "Parc des Tilleuls",
     "Comptage nocturne des tritons, crapauds et grenouilles de la mare du parc, au printemps 2025.",
     [("Triturus cristatus", "Triton crêté", 444430, "amphibiens", True, False),
      ("Ichthyosaura alpestris", "Triton alpestre", 444432, "amphibiens", True, False),
      ("Lissotriton helveticus", "Triton palmé", 444440, "amphibiens", True, False),
      ("Bufo spinosus", "Crapaud épineux", 459627, "amphibiens", True, False),
      ("Pelophylax kl. esculentus", "Grenouille verte", 444446, "amphibiens", False, False),
      ("Hyla arborea", "Rainette verte", 281, "amphibiens", True, False),
      ("Salamandra salamandra", "Salamandre tachetée", 92, "amphibiens", True, False)]),
    ("Atlas de la biodiversité communale : oiseaux nicheurs 2024-2025", "abc-oiseaux-nicheurs", ["oiseaux"],
     "groupe-ornithologique-du-val", "Commune de Villeneuve-la-Verte",
     "Points d'écoute des oiseaux nicheurs dans toute la commune pour l'atlas de la biodiversité communale.",
     [("Parus major", "Mésange charbonnière", 3764, "oiseaux", True, False),
      ("Erithacus rubecula", "Rougegorge familier", 4001, "oiseaux", True, False),
      ("Apus apus", "Martinet noir", 3551, "oiseaux", True, False),
      ("Passer domesticus", "Moineau domestique", 4525, "oiseaux", True, False),
      ("Turdus merula", "Merle noir", 4117, "oiseaux", False, False)]),
    ("Les pollinisateurs des jardins partagés", "pollinisateurs-jardins-partages", ["insectes-et-pollinisateurs"],
     "apis-sauvage", "Jardins partagés des Tilleuls",
     "Suivi des abeilles, syrphes et papillons qui visitent les fleurs des jardins partagés.",
     [("Osmia cornuta", "Osmie cornue", 237000, "insectes", False, False),
      ("Bombus terrestris", "Bourdon terrestre", 199658, "insectes", False, False),
      ("Episyrphus balteatus", "Syrphe ceinturé", 22796, "insectes", False, False),
      ("Aglais io", "Paon-du-jour", 53865, "insectes", False, False),
      ("Reynoutria japonica", "Renouée du Japon", 96445, "plantes", False, True),
      ("Buddleja davidii", "Buddleia de David", 86940, "plantes", False, True)]),
]

TRAININGS = [
    ("Gestion différenciée des espaces verts", "gestion-differenciee", ["prairies-et-fleurs-sauvages"], ["agents"],
     "Adapter l'entretien de chaque espace vert à son usage : tonte, fauche tardive, zéro pesticide.",
     "Deux jours pour les agents des espaces verts : plan de gestion, calendrier d'entretien, communication "
     "auprès des habitants."),
    ("Trame verte et bleue : comprendre et agir", "trame-verte-et-bleue", ["nature-en-ville", "eau"], ["elus"],
     "Comprendre les continuités écologiques et les traduire dans les documents d'urbanisme.",
     "Pour les élus : corridors écologiques, réservoirs de biodiversité, plan local d'urbanisme, exemples de "
     "communes voisines."),
    ("Initiation aux sciences participatives", "initiation-sciences-participatives", ["sciences-participatives"],
     ["habitants"],
     "Apprendre à observer et à transmettre ses observations naturalistes aux programmes de recherche.",
     "Une soirée pour découvrir les protocoles Vigie-Nature, le comptage des oiseaux des jardins et l'Opération "
     "papillons."),
    ("Reconnaître les espèces exotiques envahissantes", "reconnaitre-les-eee", ["especes-exotiques-envahissantes"],
     ["agents", "professionnels"],
     "Identifier les espèces exotiques envahissantes du territoire et adopter les bons gestes de gestion.",
     "Renouée du Japon, frelon asiatique, ragondin, jussie : reconnaissance sur le terrain et protocoles "
     "d'intervention sans dissémination."),
]

ASSOCIATIONS = [
    ("les-amis-des-mares", "Les Amis des Mares", ["mares-et-zones-humides"],
     "Inventaires d'amphibiens, création et restauration de mares avec les habitants."),
    ("haies-vives-du-val", "Haies Vives du Val", ["haies"],
     "Plantations participatives de haies bocagères chaque hiver."),
    ("groupe-ornithologique-du-val", "Groupe ornithologique du Val", ["oiseaux"],
     "Observation et comptage des oiseaux, sorties guidées et pose de nichoirs."),
    ("apis-sauvage", "Apis Sauvage", ["insectes-et-pollinisateurs"],
     "Connaître et protéger les abeilles sauvages et les autres pollinisateurs."),
    ("compost-quartier", "Compost'Quartier", ["sols-et-compost"],
     "Composteurs partagés au pied des immeubles et formation de guides composteurs."),
    ("herissons-du-val", "SOS Hérissons du Val", ["mammiferes"],
     "Soins aux hérissons blessés et conseils pour un jardin accueillant."),
    ("jardins-partages-des-tilleuls", "Jardins partagés des Tilleuls", ["jardin-nourricier"],
     "Un potager collectif cultivé sans pesticides, ouvert à tous les habitants du quartier."),
    ("vergers-d-ici", "Vergers d'ici", ["arbres", "jardin-nourricier"],
     "Sauvegarde des variétés fruitières anciennes, greffe et taille des arbres fruitiers."),
    ("chauves-souris-et-cie", "Chauves-souris & Cie", ["mammiferes"],
     "Nuits de la chauve-souris, suivi des colonies et pose de gîtes."),
    ("graines-de-ville", "Graines de Ville", ["nature-en-ville"],
     "Grainothèque, végétalisation des rues et ateliers de semis."),
]

STANDARD_PAGES = [
    ("Données personnelles", "donnees-personnelles", "Comment la biodiversithèque traite vos données personnelles."),
    ("Déclaration d'accessibilité", "accessibilite", "Conformité du site au référentiel d'accessibilité RGAA."),
    ("Mentions légales", "mentions-legales", "Éditeur du site, hébergeur et crédits."),
]


def _themes(slugs):
    return [Theme.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").capitalize()})[0] for slug in slugs]


def _audiences(slugs):
    return [Audience.objects.get_or_create(slug=slug, defaults={"name": slug.capitalize()})[0] for slug in slugs]


def _publish(parent, page, themes=(), audiences=()):
    parent.add_child(instance=page)
    page.themes.set(_themes(themes))
    page.audiences.set(_audiences(audiences))
    page.save_revision().publish()
    return page


def _paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]


@transaction.atomic
def load_corpus(home_page, resource_index):
    """Publish the demo content; returns {title: page or association}."""
    created = {}
    for slug, name, themes, summary in ASSOCIATIONS:
        association = Association.objects.create(slug=slug, name=name, summary=summary, city="Villeneuve-la-Verte")
        association.themes.set(_themes(themes))
        created[name] = association
    for title, slug, themes, summary, body in GUIDES:
        created[title] = _publish(
            resource_index, GuidePage(title=title, slug=slug, summary=summary, body=_paragraph(body)), themes, ["habitants"]
        )
    for title, slug, themes, association_slug, place, summary, species in INVENTORIES:
        page = InventoryPage(
            title=title, slug=slug, summary=summary, place=place,
            association=Association.objects.get(slug=association_slug),
        )
        created[title] = _publish(resource_index, page, themes, ["habitants"])
        for scientific, vernacular, cd_nom, group, protected, invasive in species:  # a plain foreign key: after the save
            Observation.objects.create(
                inventory=page, scientific_name=scientific, vernacular_name=vernacular, cd_nom=cd_nom,
                taxon_group=group, is_protected=protected, is_invasive=invasive, observed_on=datetime.date(2025, 4, 12),
            )
    for title, slug, themes, audiences, summary, body in TRAININGS:
        created[title] = _publish(
            resource_index,
            TrainingPage(title=title, slug=slug, summary=summary, objectives=f"<p>{summary}</p>", body=_paragraph(body)),
            themes,
            audiences,
        )
    for title, slug, summary in STANDARD_PAGES:
        created[title] = _publish(home_page, StandardPage(title=title, slug=slug, summary=summary))
    return created
