"""Demo lending for Villeneuve-la-Verte: two lending points, 20 things (two needing a workshop), 15 seed
varieties tied to taxa, borrowers with loans in every state. Idempotent: looked up by slug, code or e-mail;
loans are created once (their dates are relative to the first load). Demo e-mails are never sent."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from demo.ateliers import create_event, ensure_agenda
from ateliers.models import EventPage, OutgoingEmail
from biodiversitheque.core.absolute_urls import absolute_url
from demo.base import DEMO_PASSWORD
from demo.utils import save_object
from biodiversitheque.portal.models import HomePage
from ressources.models import GuidePage, Taxon

from prets.choices import HOLD_WAITING, LENDING_GROUP, LOAN_OUT, LOAN_RESERVED, LOAN_RETURNED, SEED_GIVE, SEED_TAKE
from prets.models import (
    Borrower, GerminationTest, Hold, LendingCatalogPage, LendingPoint, Loan, OpeningHours, SeedLibraryPage,
    SeedMovement, SeedSwapEvent, SeedVarietyPage, ThingGuide, ThingPage, Unit,
)
from prets.roles import ensure_roles
from prets.tokens import space_url

POINTS = [
    ("La Grange aux Savoirs", "4 rue des Tilleuls", [(2, "14:00", "18:00"), (5, "10:00", "12:30"), (5, "14:00", "18:00")]),
    ("Bibliothèque annexe des Prés", "2 place des Prés", [(1, "16:00", "19:00"), (3, "16:00", "19:00"), (5, "10:00", "13:00")]),
    ("Cabane des jardins partagés", "12 rue du Moulin", [(5, "09:00", "12:00"), (6, "10:00", "12:00")]),
]

# Postal code, commune and point of each lending point, for the facilities file (SCDL « Équipements »).
POINT_LOCATIONS = {
    "La Grange aux Savoirs": ("37000", "Villeneuve-la-Verte", "47.394100", "0.684800"),
    "Bibliothèque annexe des Prés": ("37000", "Villeneuve-la-Verte", "47.398200", "0.679300"),
    "Cabane des jardins partagés": ("37000", "Villeneuve-la-Verte", "47.392300", "0.690400"),
}

# slug, title, category, units (per point index), loan days, deposit, guides, safety, needs workshop
THINGS = [
    ("secateur", "Sécateur de jardin", "outils", [0, 0, 2], 14, 0, ["planter-une-haie-champetre"], "", False),
    ("beche", "Bêche", "outils", [0, 2], 14, 0, ["planter-une-haie-champetre"], "", False),
    ("grelinette", "Grelinette", "outils", [0], 14, 20, ["composter-ses-dechets"], "", False),
    ("fourche-a-compost", "Fourche à compost", "outils", [2], 14, 0, ["composter-ses-dechets"], "", False),
    ("debroussailleuse", "Débroussailleuse thermique", "outils", [0], 7, 150, ["pratiquer-la-fauche-tardive"],
     "Lunettes, casque antibruit et chaussures de sécurité obligatoires.", True),
    ("tronconneuse-elagueuse", "Perche élagueuse électrique", "outils", [0], 7, 120, ["planter-une-haie-champetre"],
     "Jamais à proximité d'une ligne électrique. Gants et lunettes.", True),
    ("faux", "Faux et pierre à aiguiser", "outils", [2], 14, 0, ["pratiquer-la-fauche-tardive"], "Lame protégée pendant le transport.", False),
    ("brouette", "Brouette", "outils", [2, 2], 7, 0, [], "", False),
    ("recuperateur-eau", "Kit récupérateur d'eau de pluie", "kits", [0], 21, 30, ["recuperer-l-eau-de-pluie"], "", False),
    ("jumelles", "Jumelles 8×42", "observation", [0, 0, 1], 14, 50, ["installer-des-nichoirs"], "", False),
    ("longue-vue", "Longue-vue et trépied", "observation", [0], 7, 100, [], "", False),
    ("loupes", "Lot de 6 loupes de terrain", "observation", [1], 14, 0, ["les-abeilles-sauvages"], "", False),
    ("piege-photo", "Piège photographique", "observation", [0, 0], 14, 80, ["accueillir-le-herisson"], "", False),
    ("detecteur-chauves-souris", "Détecteur d'ultrasons (chauves-souris)", "observation", [0], 7, 80, ["eteindre-la-nuit"], "", False),
    ("filet-papillons", "Filet à papillons et boîtes loupes", "observation", [1], 14, 0, ["observer-les-papillons"], "Relâcher chaque insecte là où il a été pris.", False),
    ("kit-mare", "Kit pédagogique « La vie de la mare »", "kits", [0], 21, 0, ["faire-une-mare-naturelle"], "Enfants accompagnés au bord de l'eau.", False),
    ("kit-hotel-insectes", "Kit « Construire un hôtel à insectes »", "kits", [0], 21, 0, ["construire-un-hotel-a-insectes"], "", False),
    ("kit-sol", "Kit « Les petites bêtes du sol »", "kits", [1], 21, 0, ["composter-ses-dechets"], "", False),
    ("livre-guide-oiseaux", "Livre : Le guide ornitho", "livres", [1, 1], 28, 0, ["installer-des-nichoirs"], "", False),
    ("livre-jardin-sauvage", "Livre : Un jardin au naturel", "livres", [1], 28, 0, ["laisser-un-coin-sauvage"], "", False),
]

WORKSHOP = dict(
    slug="utiliser-une-debroussailleuse-en-securite", title="Utiliser une débroussailleuse en sécurité",
    kind="formation", organiser=None, themes=["prairies-et-fleurs-sauvages"], audiences=["habitants"],
    place={"place_name": "La Grange aux Savoirs", "address": "4 rue des Tilleuls", "latitude": "47.394100",
           "longitude": "0.684800"},
    offset=9, time=(10, 0), minutes=120, capacity=8, rule="RRULE:FREQ=MONTHLY;BYDAY=+3SA",
    summary="Deux heures pour apprendre à régler, porter et entretenir une débroussailleuse, avant de l'emprunter.",
    equipment="Chaussures fermées.",
)
SWAP = dict(
    slug="troc-de-graines", title="Troc de graines", kind="atelier", organiser=None, themes=["jardin-nourricier"],
    audiences=["habitants", "familles"],
    place={"place_name": "Jardins partagés des Tilleuls", "address": "12 rue du Moulin", "latitude": "47.392300",
           "longitude": "0.690400"},
    offset=12, time=(10, 0), minutes=180, capacity=40, registration=False, rule="RRULE:FREQ=MONTHLY;BYDAY=+1SU;BYMONTH=2,3,4,9,10",
    summary="Apportez vos graines, repartez avec celles des voisins : le troc de la grainothèque.",
)

# scientific name, vernacular, variety, sowing, harvest, origin
SEEDS = [
    ("Calendula officinalis", "Souci officinal", "", [3, 4, 5], [7, 8, 9], "Récoltée à Villeneuve, jardins des Tilleuls"),
    ("Centaurea cyanus", "Bleuet", "", [3, 4, 9, 10], [7, 8], "Récoltée à Villeneuve, prairie de la Coulée verte"),
    ("Papaver rhoeas", "Coquelicot", "", [3, 4, 10], [7, 8], "Récoltée à Villeneuve"),
    ("Echium vulgare", "Vipérine commune", "", [4, 5], [8, 9], "Récoltée à Villeneuve, friche des Prés"),
    ("Origanum vulgare", "Origan", "", [3, 4, 5], [9, 10], "Don de l'association Apis sauvage"),
    ("Leucanthemum vulgare", "Grande marguerite", "", [3, 4, 9], [7, 8], "Récoltée à Villeneuve"),
    ("Daucus carota", "Carotte sauvage", "", [3, 4], [9, 10], "Récoltée à Villeneuve"),
    ("Solanum lycopersicum", "Tomate", "Cœur de bœuf", [3, 4], [8, 9], "Don d'un jardinier des Prés"),
    ("Solanum lycopersicum", "Tomate", "Noire de Crimée", [3, 4], [8, 9], "Don de la grainothèque de Tours"),
    ("Phaseolus vulgaris", "Haricot", "Coco de Paimpol", [5, 6], [9], "Récoltée aux jardins partagés"),
    ("Cucurbita maxima", "Potiron", "Rouge vif d'Étampes", [4, 5], [10], "Récoltée aux jardins partagés"),
    ("Lactuca sativa", "Laitue", "Merveille des quatre saisons", [3, 4, 5, 8, 9], [7, 8], "Don d'un habitant"),
    ("Borago officinalis", "Bourrache", "", [3, 4, 5], [7, 8, 9], "Récoltée à Villeneuve"),
    ("Tropaeolum majus", "Capucine", "", [4, 5], [8, 9], "Récoltée à Villeneuve"),
    ("Helianthus annuus", "Tournesol", "Géant", [4, 5], [9, 10], "Don de l'école des Prés"),
]

BORROWERS = [
    # name, e-mail, card, phone
    ("Camille Martin", "camille.martin.pret@example.org", "BDT-0001", "06 12 34 56 78"),
    ("Louis Bernard", "louis.bernard.pret@example.org", "BDT-0002", ""),
    ("Inès Petit", "ines.petit.pret@example.org", "BDT-0003", ""),
    ("Hugo Durand", "hugo.durand.pret@example.org", "BDT-0004", ""),
    ("Manon Leroy", "manon.leroy.pret@example.org", None, ""),
]


def _time(text):
    return datetime.time(*map(int, text.split(":")))


def _points():
    points = []
    for name, address, hours in POINTS:
        point, created = LendingPoint.objects.get_or_create(name=name, defaults={"address": address})
        if created:
            for weekday, opens, closes in hours:
                OpeningHours.objects.create(point=point, weekday=weekday, opens=_time(opens), closes=_time(closes))
        postal_code, city, latitude, longitude = POINT_LOCATIONS[name]
        point, _status = save_object(LendingPoint, {"pk": point.pk}, {
            "postal_code": postal_code, "city": city, "latitude": Decimal(latitude), "longitude": Decimal(longitude)})
        points.append(point)
    return points


def _page(parent, model, slug, **values):
    existing = model.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    page = model(slug=slug, **values)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return model.objects.get(pk=page.pk), True


def _event(agenda, spec):
    return EventPage.objects.filter(slug=spec["slug"]).first() or create_event(agenda, spec)


def _things(catalogue, points, workshop):
    created = 0
    for index, (slug, title, category, units, days, deposit, guides, safety, gated) in enumerate(THINGS):
        thing, new = _page(
            catalogue, ThingPage, slug, title=title, category=category, loan_days=days, deposit=Decimal(deposit),
            safety_notes=safety, required_training=workshop if gated else None,
            summary=f"{title} à emprunter à la biodiversithèque, pour {days} jours.",
            description=f"<p>{title} prêté gratuitement aux habitants inscrits.</p>",
        )
        if new:
            created += 1
            for guide in GuidePage.objects.filter(slug__in=guides):
                ThingGuide.objects.create(thing=thing, guide=guide)
        for number, point_index in enumerate(units, start=1):
            Unit.objects.get_or_create(code=f"{index + 1:02d}-{number}", defaults={
                "thing": thing, "lending_point": points[point_index]})
    return created


def _seeds(library, points):
    created = 0
    for index, (scientific, vernacular, variety, sowing, harvest, origin) in enumerate(SEEDS):
        taxon = Taxon.objects.filter(scientific_name=scientific).first() or Taxon.objects.create(
            scientific_name=scientific, vernacular_name=vernacular, group="plantes")
        title = f"{vernacular} « {variety} »" if variety else vernacular
        slug = f"{taxon.slug}-{variety}".lower().replace(" ", "-").replace("'", "-") if variety else taxon.slug
        page, new = _page(library, SeedVarietyPage, slugify(slug), title=title, taxon=taxon, variety=variety,
                          sowing_months=sowing, harvest_months=harvest, origin=origin, lending_point=points[2],
                          summary=f"Graines de {vernacular.lower()} : {origin.lower()}.")
        if new:
            created += 1
            GerminationTest.objects.create(variety=page, tested_on=timezone.localdate() - datetime.timedelta(days=40),
                                           seeds_sown=20, seeds_germinated=12 + index % 8)
            SeedMovement.objects.create(variety=page, kind=SEED_GIVE, packets=10 + index, note=origin[:200])
            SeedMovement.objects.create(variety=page, kind=SEED_TAKE, packets=2 + index % 4)
            SeedVarietyPage.objects.filter(pk=page.pk).update(packets_in_stock=page.recount_stock())
    return created


def _loans():
    """One borrower per state: reserved, out, overdue, returned, queued (only on the first load)."""
    if Loan.objects.exists():
        return 0
    today = timezone.localdate()
    borrowers = {}
    for name, email, card, phone in BORROWERS:
        borrowers[email.split(".")[0]], _ = Borrower.objects.get_or_create(email=email, defaults={
            "name": name, "card_number": card, "phone": phone, "consent_at": timezone.now()})
    day = datetime.timedelta(days=1)

    def unit(slug, number=1):
        return Unit.objects.select_related("thing", "lending_point").get(thing__slug=slug, code__endswith=f"-{number}")

    def loan(borrower, item, status, start, due, **extra):
        return Loan.objects.create(unit=item, thing=item.thing, lending_point=item.lending_point, borrower=borrower,
                                   status=status, start_date=start, due_date=due, **extra)

    now = timezone.now()
    next_saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    loan(borrowers["camille"], unit("jumelles"), LOAN_RESERVED, next_saturday, next_saturday + 7 * day)
    loan(borrowers["louis"], unit("grelinette"), LOAN_OUT, today - 5 * day, today + 9 * day, checked_out_at=now)
    loan(borrowers["ines"], unit("piege-photo"), LOAN_OUT, today - 20 * day, today - 6 * day, checked_out_at=now)
    loan(borrowers["hugo"], unit("secateur"), LOAN_RETURNED, today - 40 * day, today - 26 * day, checked_out_at=now,
         returned_at=now, return_condition="bon")
    loan(borrowers["hugo"], unit("longue-vue"), LOAN_OUT, today - 3 * day, today + 4 * day, checked_out_at=now)
    Hold.objects.create(thing=unit("longue-vue").thing, borrower=borrowers["manon"], status=HOLD_WAITING)
    Hold.objects.create(thing=unit("longue-vue").thing, borrower=borrowers["camille"], status=HOLD_WAITING)
    return Loan.objects.count()


def _lending_user():
    user_model = get_user_model()
    user = user_model.objects.filter(username="preteuse").first()
    if user is None:
        user = user_model.objects.create_user("preteuse", password=DEMO_PASSWORD, first_name="Paule",
                                              last_name="Guichet")
    user.groups.add(Group.objects.get(name=LENDING_GROUP))


def load(log=print):
    home = HomePage.objects.first()
    agenda = ensure_agenda(log)
    workshop = _event(agenda, WORKSHOP)
    swap = _event(agenda, SWAP)
    points = _points()
    catalogue, _new = _page(home, LendingCatalogPage, "outilotheque", title="Outilthèque", show_in_menus=True,
                            summary="Outils de jardin, matériel d'observation, kits pédagogiques et livres à emprunter.",
                            intro="<p>Inscrivez-vous une fois, réservez en ligne, retirez au point de prêt choisi.</p>",
                            rules="<p>Trois prêts ou réservations à la fois ; une prolongation si personne "
                                  "n'attend ; aucun nouvel emprunt tant qu'un prêt est en retard.</p>")
    library, new_library = _page(home, SeedLibraryPage, "grainotheque", title="Grainothèque", show_in_menus=True,
                                 summary="Des graines de la commune à semer, à partager et à ressemer.",
                                 intro="<p>Prenez des sachets, rapportez les graines de vos récoltes.</p>")
    if new_library:
        SeedSwapEvent.objects.create(library=library, event=swap)
    things = _things(catalogue, points, workshop)
    seeds = _seeds(library, points)
    loans = _loans()
    ensure_roles()
    _lending_user()
    OutgoingEmail.objects.filter(to__endswith="@example.org", kind__startswith="prets_").delete()
    log(f"Prêts : {things} objet(s) et {seeds} variété(s) créés ; {ThingPage.objects.count()} objets, "
        f"{SeedVarietyPage.objects.count()} variétés, {loans or Loan.objects.count()} prêts et réservations.")
    log(f"Prêts : compte « preteuse » / {DEMO_PASSWORD} (groupe Prêts), guichet {absolute_url('/admin/prets/guichet/')}")
    for borrower in Borrower.objects.filter(email__endswith=".pret@example.org"):
        log(f"Prêts : espace de {borrower.name} : {absolute_url(space_url(borrower))}")
