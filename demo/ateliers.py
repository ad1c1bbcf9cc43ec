"""Demo calendar for Villeneuve-la-Verte (called by `manage.py load_demo` after associations and resources).

Idempotent: the agenda and each event are looked up by slug; an existing event is left as it is
(its dates are relative to the day it was first loaded). Demo registrations send no e-mail.
"""

import datetime

import recurrence
from django.db import transaction
from django.utils import timezone
from unidecode import unidecode

from associations.models import Association
from ateliers import services
from ateliers.association_folders import ensure_events_folder
from ateliers.models import AgendaPage, EventPage, Occurrence, OutgoingEmail, Registration
from biodiversitheque.core.models import Audience, Theme
from biodiversitheque.portal.models import HomePage
from ressources.models import TrainingPage

FIRST_NAMES = ["Camille", "Louis", "Inès", "Hugo", "Manon", "Nathan", "Chloé", "Jules", "Léa", "Gabriel",
               "Zoé", "Arthur", "Lina", "Raphaël", "Emma", "Sacha", "Jade", "Noah", "Alice", "Tom"]
LAST_NAMES = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Michel", "Garcia"]

GRANGE = {"place_name": "La Grange aux Savoirs", "address": "4 rue des Tilleuls", "latitude": "47.394100",
          "longitude": "0.684800"}
MARE = {"place_name": "Mare du parc des Tilleuls (entrée nord)", "address": "Allée des Tilleuls",
        "latitude": "47.397200", "longitude": "0.689100"}
BOCAGE = {"place_name": "Parking du chemin des Prés", "address": "Chemin des Prés", "latitude": "47.381500",
          "longitude": "0.671300"}
JARDINS = {"place_name": "Jardins partagés des Tilleuls", "address": "12 rue du Moulin", "latitude": "47.392300",
           "longitude": "0.690400"}
VERGER = {"place_name": "Verger conservatoire de la Coulée verte", "address": "Rue des Vergers",
          "latitude": "47.403100", "longitude": "0.676900"}

# offset: days from today to the first date; fill: "nearly" | "full" (+ waiting list) | int places taken.
EVENTS = [
    dict(slug="balade-des-mares", title="Balade des mares", kind="balade", organiser="les-amis-des-mares",
         themes=["mares-et-zones-humides"], audiences=["habitants", "familles"], place=MARE, offset=-60,
         time=(9, 30), minutes=150, capacity=20,
         rule="RRULE:FREQ=MONTHLY;BYDAY=+1SA;BYMONTH=3,4,5,6,7,8,9,10\nEXRULE:FREQ=MONTHLY;BYDAY=+1SA;BYMONTH=8",
         summary="Tritons, grenouilles et libellules : une matinée au bord des mares, chaque premier samedi "
                 "de mars à octobre (sauf en août).", equipment="Bottes, jumelles si vous en avez.", fill=12),
    dict(slug="atelier-nichoirs", title="Fabriquer un nichoir à mésanges", kind="atelier", organiser=None,
         themes=["oiseaux"], audiences=["familles", "habitants"], place=GRANGE, offset=2, time=(14, 30),
         minutes=120, capacity=8, max_places=3, rule="RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=10", exclude_week=3,
         summary="Chaque mercredi après-midi, repartez avec votre nichoir et les conseils pour bien l'installer.",
         equipment="Tout le matériel est fourni.", minimum_age=7, fill="nearly"),
    dict(slug="chantier-haie-champetre", title="Chantier de plantation d'une haie champêtre", kind="chantier",
         organiser="haies-vives-du-val", themes=["haies", "arbres"], audiences=["habitants", "familles"],
         place=BOCAGE, offset=16, time=(9, 0), minutes=180, capacity=12, max_places=4,
         summary="300 mètres de haie à planter le long du chemin des Prés : venez donner un coup de main.",
         equipment="Gants, bottes, vêtements qui ne craignent rien. Bêches fournies.", fill="full"),
    dict(slug="comptage-des-oiseaux-des-jardins", title="Comptage des oiseaux des jardins", kind="balade",
         organiser="groupe-ornithologique-du-val", themes=["oiseaux", "sciences-participatives"],
         audiences=["habitants"], place=GRANGE, offset=5, time=(9, 0), minutes=120, capacity=15,
         rule="RRULE:FREQ=MONTHLY;BYDAY=+2SU", summary="Apprendre à reconnaître et compter les oiseaux, "
         "pour le programme national de sciences participatives.", equipment="Jumelles (prêt possible).", fill=6),
    dict(slug="construire-un-hotel-a-insectes", title="Construire un hôtel à insectes", kind="atelier",
         organiser="apis-sauvage", themes=["insectes-et-pollinisateurs"], audiences=["familles"], place=GRANGE,
         offset=9, time=(10, 0), minutes=150, capacity=10, max_places=4, fill="nearly",
         summary="Bûches percées, tiges creuses et briques : un abri pour les abeilles sauvages."),
    dict(slug="composter-en-pratique", title="Composter en pratique", kind="atelier", organiser="compost-quartier",
         themes=["sols-et-compost", "jardin-nourricier"], audiences=["habitants"], place=JARDINS, offset=3,
         time=(10, 0), minutes=90, capacity=15, rule="RRULE:FREQ=MONTHLY;BYDAY=-1SA",
         summary="Le dernier samedi du mois, au composteur partagé : quoi y mettre, comment l'entretenir.", fill=4),
    dict(slug="conference-le-herisson", title="Le hérisson, un voisin à protéger", kind="conference",
         organiser="herissons-du-val", themes=["mammiferes"], audiences=["habitants", "familles"], place=GRANGE,
         offset=21, time=(18, 30), minutes=90, capacity=60, max_places=6, fill=23,
         summary="Conférence et échanges avec le centre de soins : comment aider le hérisson au jardin."),
    dict(slug="nuit-des-chauves-souris", title="Nuit des chauves-souris", kind="balade",
         organiser="chauves-souris-et-cie", themes=["mammiferes", "nature-en-ville"], audiences=["familles"],
         place=VERGER, offset=25, time=(20, 30), minutes=120, capacity=25, minimum_age=6, fill=11,
         summary="Écouter les chauves-souris au détecteur d'ultrasons, à la tombée de la nuit.",
         equipment="Lampe frontale (lumière rouge si possible), vêtements chauds.",
         accessibility="Chemin stabilisé de 1,5 km, accessible en fauteuil avec accompagnement."),
    dict(slug="tailler-ses-fruitiers", title="Tailler ses arbres fruitiers", kind="atelier", organiser="vergers-d-ici",
         themes=["arbres", "jardin-nourricier"], audiences=["habitants"], place=VERGER, offset=33, time=(14, 0),
         minutes=150, capacity=12, free=False, price="5 € (gratuit pour les adhérents)", fill=3,
         summary="Taille de formation et d'entretien, au verger conservatoire."),
    dict(slug="grainotheque", title="Grainothèque : troc de graines", kind="atelier", organiser="graines-de-ville",
         themes=["jardin-nourricier", "prairies-et-fleurs-sauvages"], audiences=["habitants", "familles"],
         place=GRANGE, offset=6, time=(17, 0), minutes=120, capacity=30, registration=False,
         rule="RRULE:FREQ=MONTHLY;BYDAY=+1WE", summary="Apportez vos graines, repartez avec d'autres. Sans inscription."),
    dict(slug="jardin-partage-portes-ouvertes", title="Matinée jardinage aux jardins partagés", kind="chantier",
         organiser="jardins-partages-des-tilleuls", themes=["jardin-nourricier"], audiences=["habitants"],
         place=JARDINS, offset=4, time=(10, 0), minutes=120, capacity=10,
         rule="RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=12", summary="Semis, paillage et récoltes : jardinez avec nous.",
         fill=2),
    dict(slug="sortie-papillons", title="À la rencontre des papillons", kind="balade", organiser=None,
         themes=["insectes-et-pollinisateurs", "sciences-participatives"], audiences=["familles", "habitants"],
         place=MARE, offset=8, time=(14, 0), minutes=120, capacity=15, rule="RRULE:FREQ=WEEKLY;BYDAY=SU;COUNT=6",
         cancel_second="Arrêté préfectoral : accès au parc fermé ce jour-là.", fill=5,
         summary="Apprendre à reconnaître les papillons du parc et participer à leur comptage."),
    dict(slug="session-gestion-differenciee", title="Session : gestion différenciée des espaces verts",
         kind="formation", organiser=None, training="gestion-differenciee", themes=["prairies-et-fleurs-sauvages"],
         audiences=["agents"], place=GRANGE, offset=14, time=(9, 0), minutes=420, capacity=16, max_places=2,
         rdates=[14, 42], summary="Journée de formation pour les agents des espaces verts.", fill=9),
    dict(slug="session-trame-verte-et-bleue", title="Session : trame verte et bleue", kind="formation",
         organiser=None, training="trame-verte-et-bleue", themes=["haies", "mares-et-zones-humides"],
         audiences=["elus"], place=GRANGE, offset=28, time=(18, 0), minutes=150, capacity=20, max_places=1,
         summary="Comprendre les continuités écologiques et agir à l'échelle de la commune.", fill=7),
    dict(slug="session-sciences-participatives", title="Session : initiation aux sciences participatives",
         kind="formation", organiser=None, training="initiation-sciences-participatives",
         themes=["sciences-participatives"], audiences=["habitants"], place=GRANGE, offset=11, time=(18, 30),
         minutes=120, capacity=15, rule="RRULE:FREQ=MONTHLY;BYDAY=+3TH;COUNT=6", fill=4,
         summary="Découvrir les protocoles d'observation et transmettre ses données."),
    dict(slug="session-especes-exotiques-envahissantes", title="Session : reconnaître les espèces exotiques "
         "envahissantes", kind="formation", organiser=None, training="reconnaitre-les-eee",
         themes=["especes-exotiques-envahissantes"], audiences=["agents", "professionnels"], place=GRANGE,
         offset=37, time=(9, 0), minutes=210, capacity=14, max_places=3, fill="nearly",
         summary="Renouée du Japon, Buddleia, Jussie : identifier et gérer."),
]


def people():
    for index in range(10_000):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
        yield f"{first} {last}", unidecode(f"{first}.{last}.{index}@example.org").lower()


def ensure_agenda(log):
    home = HomePage.objects.first()
    agenda = AgendaPage.objects.first()
    if agenda is None:
        agenda = AgendaPage(
            title="Agenda", slug="agenda", show_in_menus=True,
            summary="Ateliers, balades nature, chantiers participatifs, conférences et formations.",
            intro="<p>Toutes les activités de la biodiversithèque et des associations de Villeneuve-la-Verte. "
                  "Inscription gratuite en ligne, sauf mention contraire.</p>",
        )
        home.add_child(instance=agenda)
        agenda.save_revision().publish()
        log("Agenda : page créée.")
    return agenda


def _rule(spec, first_date):
    text = spec.get("rule", "")
    if spec.get("exclude_week"):
        excluded = first_date + datetime.timedelta(weeks=spec["exclude_week"])
        text += f"\nEXDATE:{excluded:%Y%m%d}T000000Z"
    for offset in spec.get("rdates", [])[1:]:
        day = first_date + datetime.timedelta(days=offset - spec["offset"])
        text += f"\nRDATE:{day:%Y%m%d}T000000Z"
    return recurrence.deserialize(text.strip(), include_dtstart=False)


def create_event(agenda, spec):
    first_date = timezone.localdate() + datetime.timedelta(days=spec["offset"])
    organiser = Association.objects.filter(slug=spec["organiser"]).first() if spec.get("organiser") else None
    training = None
    if spec.get("training"):

        training = TrainingPage.objects.filter(slug=spec["training"]).first()
    place = spec["place"]
    event = EventPage(
        title=spec["title"], slug=spec["slug"], kind=spec["kind"], summary=spec["summary"],
        description=[("paragraph", f"<p>{spec['summary']}</p>")],
        place_name=place["place_name"], address=place["address"], postal_code="37000", city="Villeneuve-la-Verte",
        latitude=place["latitude"], longitude=place["longitude"], organiser=organiser, training=training,
        equipment=spec.get("equipment", ""), accessibility=spec.get("accessibility", ""),
        minimum_age=spec.get("minimum_age"), is_free=spec.get("free", True), price=spec.get("price", ""),
        first_date=first_date, start_time=datetime.time(*spec["time"]), duration_minutes=spec["minutes"],
        recurrence=_rule(spec, first_date), capacity=spec["capacity"],
        max_places_per_registration=spec.get("max_places", 4),
        registration_required=spec.get("registration", True), registration_opens_days=60,
    )
    # An association's events live in its folder (its members' space), the others under the agenda.
    parent = ensure_events_folder(organiser) if organiser else None
    (parent or agenda).add_child(instance=event)
    event.themes.set(Theme.objects.filter(slug__in=spec["themes"]))
    event.audiences.set(Audience.objects.filter(slug__in=spec["audiences"]))
    event.save_revision().publish()  # page_published generates the occurrences
    return event


def fill(event, spec, names):
    """Demo registrations on the first open dates, through the services (never overbooked)."""
    wanted = spec.get("fill")
    if not wanted or not event.registration_required:
        return
    occurrences = [o for o in event.occurrences.order_by("start") if o.is_open_for_registration][:2]
    for occurrence in occurrences:
        target = {"nearly": occurrence.capacity - 1, "full": occurrence.capacity}.get(wanted, wanted)
        target = min(target, occurrence.capacity)
        while occurrence.confirmed_places < target:
            name, email = next(names)
            places = min(2 if (occurrence.confirmed_places % 3 == 0) else 1, target - occurrence.confirmed_places,
                         event.max_places_per_registration)
            services.register(occurrence.pk, name=name, email=email, places=places)
            occurrence.refresh_from_db()
        if wanted == "full":
            for places in (2, 1):
                name, email = next(names)
                services.register(occurrence.pk, name=name, email=email, places=places, wants_waiting_list=True)
        wanted = max(1, target // 2) if isinstance(wanted, int) else wanted


@transaction.atomic
def load(log=print):
    agenda = ensure_agenda(log)
    names = people()
    for _ in range(Registration.objects.count()):
        next(names)  # unique addresses across runs
    created = 0
    for spec in EVENTS:
        if EventPage.objects.filter(slug=spec["slug"]).exists():
            continue
        event = create_event(agenda, spec)
        fill(event, spec, names)
        if spec.get("cancel_second"):
            second = event.occurrences.order_by("start")[1]
            services.cancel_occurrence(second.pk, spec["cancel_second"])
        created += 1
    # Fictional participants: their e-mails are never sent.
    OutgoingEmail.objects.filter(registration__email__endswith="@example.org").delete()
    log(
        f"Agenda : {created} activité(s) créée(s), {EventPage.objects.count()} au total, "
        f"{Occurrence.objects.count()} dates, {Registration.objects.count()} inscriptions."
    )
