"""Demo of the greening permits (development only): two communes, a charter, five support types, a palette
drawn from the demo plants, the campaign page, requests in every status and one account per role.

Idempotent: everything is looked up by slug, version, reference note or username.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from associations.models import Association
from ateliers.models import OutgoingEmail
from biodiversitheque.portal.models import HomePage
from demarches.permits import choices, services
from demarches.permits.models import Charter, Commune, GreeningCampaignPage, PermitRequest, SupportType
from demarches.permits.roles import ensure_roles
from demo.base import DEMO_PASSWORD, _demo_user
from ressources.models import GuidePage, Taxon

COMMUNES = [
    dict(slug="villeneuve-la-verte", name="Villeneuve-la-Verte", insee_code="37999", is_default=True,
         min_latitude="47.370000", max_latitude="47.410000", min_longitude="0.650000", max_longitude="0.710000",
         contact_email="permis@villeneuve-la-verte.example.org", contact_phone="02 47 00 00 00"),
    dict(slug="les-pres-saint-martin", name="Les Prés-Saint-Martin", insee_code="37998", is_default=False,
         min_latitude="47.410001", max_latitude="47.440000", min_longitude="0.650000", max_longitude="0.710000",
         contact_email="mairie@pres-saint-martin.example.org", contact_phone="02 47 00 00 01"),
]
CLAUSES = """Je plante des espèces locales, de préférence celles de la palette recommandée ; jamais une espèce interdite ou exotique envahissante.
Je n'utilise ni pesticide ni engrais chimique.
Je laisse un passage d'au moins 1,40 m sur le trottoir et je ne gêne ni les réseaux ni l'éclairage.
Je ne plante pas au pied d'un arbre sans laisser son collet dégagé, et je ne creuse pas à plus de 15 cm.
J'entretiens mon aménagement (arrosage, taille, propreté) ; la commune peut le retirer s'il est abandonné.
J'installe un panneau « permis de végétaliser » fourni par la commune."""
SUPPORTS = [
    ("pied-d-arbre", "Pied d'arbre", "Semis et vivaces basses sur la fosse, collet de l'arbre dégagé, sans creuser."),
    ("pied-de-mur", "Pied de mur", "Une bande de 15 cm au plus le long de la façade, plantes grimpantes sur accord."),
    ("jardiniere", "Jardinière", "Bac fourni par le demandeur, posé sans fixation, passage de 1,40 m conservé."),
    ("facade", "Façade", "Grimpantes sur câbles ou treillage, accord écrit du propriétaire de la façade."),
    ("delaisse", "Délaissé", "Petit espace public inutilisé ; projet collectif de préférence."),
]
# (note, commune, support, kind, address, lat, lon, final status)
REQUESTS = [
    ("demo-1", "villeneuve-la-verte", "pied-d-arbre", "particulier", "12 rue du Moulin", "47.392300", "0.690400", choices.DEPOSITED),
    ("demo-2", "villeneuve-la-verte", "jardiniere", "commerce", "3 place de la Mairie", "47.394000", "0.686000", choices.INCOMPLETE),
    ("demo-3", "villeneuve-la-verte", "pied-de-mur", "copropriete", "25 avenue des Tilleuls", "47.396100", "0.684200", choices.INSTRUCTION),
    ("demo-4", "villeneuve-la-verte", "facade", "ecole", "1 rue de l'École", "47.389800", "0.681900", choices.OPINIONS),
    ("demo-5", "villeneuve-la-verte", "delaisse", "association", "Chemin des Prés", "47.381500", "0.671300", choices.GRANTED),
    ("demo-6", "villeneuve-la-verte", "pied-d-arbre", "particulier", "8 rue des Vergers", "47.403100", "0.676900", choices.REFUSED),
    ("demo-7", "les-pres-saint-martin", "jardiniere", "collectif", "4 rue du Lavoir", "47.420000", "0.680000", choices.EXPIRED),
    ("demo-8", "les-pres-saint-martin", "pied-de-mur", "particulier", "17 rue Haute", "47.425000", "0.690000", choices.RENEWED),
    ("demo-9", "villeneuve-la-verte", "pied-d-arbre", "particulier", "40 rue du Moulin", "47.391000", "0.692000", choices.ABANDONED),
]
ACCOUNTS = [
    ("instructeur-permis", "Inès", "Instructrice", choices.INSTRUCTORS_GROUP),
    ("voirie", "Victor", "Voirie", choices.service_group_name("voirie")),
    ("espaces-verts", "Élise", "Espaces verts", choices.service_group_name("espaces_verts")),
    ("elu-quartier", "Éric", "Élu", choices.service_group_name("elu")),
    ("signataire-permis", "Sophie", "Signataire", choices.DECISION_GROUP),
]


def _communes():
    for spec in COMMUNES:
        values = {key: (Decimal(value) if "itude" in key else value) for key, value in spec.items() if key != "slug"}
        Commune.objects.update_or_create(slug=spec["slug"], defaults=values)


def _campaign(home):
    charter, _created = Charter.objects.get_or_create(version="2027-1", defaults={"clauses": CLAUSES})
    guide = GuidePage.objects.filter(slug__icontains="pied").first() or GuidePage.objects.filter(slug__icontains="arbre").first()
    for order, (slug, name, rules) in enumerate(SUPPORTS):
        SupportType.objects.update_or_create(slug=slug, defaults={
            "name": name, "rules": rules, "sort_order": order, "guide": guide if slug == "pied-d-arbre" else None})
    campaign = GreeningCampaignPage.objects.first()
    if campaign is None:
        campaign = GreeningCampaignPage(
            title="Permis de végétaliser", slug="permis-de-vegetaliser", show_in_menus=True, charter=charter,
            summary="Semer un pied d'arbre, poser une jardinière, fleurir un pied de mur : demandez votre permis "
                    "de végétaliser en ligne.",
            intro="<p>Le permis de végétaliser vous autorise à jardiner l'espace public devant chez vous, dans le "
                  "respect de la charte. Les services de la commune instruisent votre demande ; sans réponse "
                  "dans les deux mois, elle est accordée.</p>",
        )
        home.add_child(instance=campaign)
        created = True
    else:
        created = False
    plants = Taxon.objects.filter(group="plantes")
    recommended = set(plants.filter(is_invasive=False)[:8].values_list("pk", flat=True))
    forbidden = set(plants.filter(is_invasive=True).values_list("pk", flat=True))
    # A new revision only when something changed: a second run writes nothing.
    if (created or set(campaign.recommended_taxa.values_list("pk", flat=True)) != recommended
            or set(campaign.forbidden_taxa.values_list("pk", flat=True)) != forbidden):
        campaign.recommended_taxa.set(recommended)
        campaign.forbidden_taxa.set(forbidden)
        campaign.save_revision().publish()
    return GreeningCampaignPage.objects.get(pk=campaign.pk)


def _request(campaign, spec, agents):
    note, commune_slug, support_slug, kind, address, lat, lon, status = spec
    if PermitRequest.objects.filter(submission_key=note).exists():
        return False
    commune = Commune.objects.get(slug=commune_slug)
    association = Association.objects.filter(slug="les-amis-des-mares").first() if kind == "association" else None
    data = {
        "commune": commune, "support_type": SupportType.objects.get(slug=support_slug), "applicant_kind": kind,
        "association": association, "organisation": "" if kind in ("particulier", "association") else "Les voisins du quartier",
        "name": "Camille Martin", "email": f"{note}@example.org", "phone": "", "address": address,
        "latitude": Decimal(lat), "longitude": Decimal(lon),
        "description": "Semer des vivaces locales et entretenir l'ensemble toute l'année.",
    }
    if kind == "association" and association is None:
        data["applicant_kind"], data["association"] = "collectif", None
    permit, _created = services.submit_request(campaign, data, submission_key=note)
    instructor, decider = agents.get("instructeur-permis"), agents.get("signataire-permis")
    if status == choices.DEPOSITED:
        return True
    if status == choices.INCOMPLETE:
        services.request_information(permit.pk, instructor, "Merci d'ajouter une photo du trottoir devant le commerce.")
        return True
    if status == choices.ABANDONED:
        services.abandon(permit.pk, instructor, "Demande retirée par le demandeur.")
        return True
    services.start_instruction(permit.pk, instructor)
    if status == choices.INSTRUCTION:
        return True
    opinions = [("voirie", "voirie"), ("espaces_verts", "espaces-verts"), ("elu", "elu-quartier")]
    if status == choices.OPINIONS:
        opinions = opinions[:1]
    for code, username in opinions:
        favourable = not (status == choices.REFUSED and code == "voirie")
        services.give_opinion(permit.pk, agents.get(username), code, favourable,
                              "" if favourable else "Trottoir trop étroit pour une jardinière.")
    if status == choices.OPINIONS:
        return True
    permit = services.decide(permit.pk, decider, status != choices.REFUSED,
                             clause=3 if status == choices.REFUSED else None,
                             comment="" if status != choices.REFUSED else "Le passage de 1,40 m ne serait pas conservé.")
    today = timezone.localdate()
    if status == choices.EXPIRED:
        PermitRequest.objects.filter(pk=permit.pk).update(valid_until=today - datetime.timedelta(days=1))
        services.run_daily(today)
    elif status == choices.RENEWED:
        PermitRequest.objects.filter(pk=permit.pk).update(valid_until=today + datetime.timedelta(days=30))
        services.renew(permit.pk, today)
    return True


def _accounts():
    users = {}
    for username, first_name, last_name, group_name in ACCOUNTS:
        user, _status = _demo_user(get_user_model(), username, first_name=first_name, last_name=last_name,
                                   email=f"{username}@example.org", is_staff=False, is_superuser=False)
        user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    return users


@transaction.atomic
def load(log):
    home = HomePage.objects.first()
    _communes()
    campaign = _campaign(home)
    ensure_roles()
    agents = _accounts() if settings.BIODIVERSITHEQUE_DEMO_ACCOUNTS else {}
    created = sum(_request(campaign, spec, agents) for spec in REQUESTS)
    # Demo requests send no e-mail.
    OutgoingEmail.objects.filter(kind__startswith="permit_", to__endswith="example.org").delete()
    log(f"Permis de végétaliser : {created} demande(s) de démonstration créée(s) ({campaign.url}).")
    if settings.BIODIVERSITHEQUE_DEMO_ACCOUNTS:
        log("Comptes des permis : " + ", ".join(f"{username} / {DEMO_PASSWORD}" for username, *_rest in ACCOUNTS))
