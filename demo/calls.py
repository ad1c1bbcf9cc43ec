"""Demo calls (development): the seed's AMI with applications in every state, scores from two reviewers and
three laureates with milestones and instalments; an open micro-grant call with drafts.

Idempotent: calls are looked up by slug, applications by e-mail; an existing call is left as it is.
Demo applications send no e-mail (their outbox rows are deleted).
"""

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ateliers.models import OutgoingEmail
from associations.models import Association
from biodiversitheque.portal.models import HomePage
from demo.base import _demo_user

from demarches.calls import choices as c
from demarches.calls import services
from demarches.calls.models import Application, CallCriterion, CallIndexPage, CallPage, Instalment, Milestone
from demarches.calls.roles import ensure_roles

DATA_FILE = Path(__file__).resolve().parent / "data" / "calls" / "calls.toml"
PDF = b"%PDF-1.4\n% plan de financement de demonstration\n"

# (email, organisation, type, territory, title, amount, decision, lat, lon, scores by reviewer)
AMI_APPLICATIONS = [
    ("centre-social-tilleuls@example.org", "Centre social des Tilleuls", "centre_social", "Villeneuve-la-Verte",
     "Le verger partagé de la cité des Tilleuls", "9500", c.SELECTED, "47.3925", "0.6901", ([5, 5, 4, 4, 3, 4],
                                                                                           [4, 5, 4, 3, 4, 3])),
    ("jardins-partages@example.org", "Jardins partagés des Tilleuls", "association", "Lens",
     "Outilthèque et bourse de graines au jardin", "7000", c.SELECTED, "50.4280", "2.8310", ([4, 4, 5, 4, 3, 2],
                                                                                             [4, 3, 5, 4, 4, 3])),
    ("ccas-douai@example.org", "CCAS de Douai", "ccas", "Douai", "Potagers au pied des immeubles rénovés", "10000",
     c.SELECTED, "50.3700", "3.0800", ([4, 4, 3, 3, 4, 4], [3, 4, 3, 4, 3, 4])),
    ("habitants-lievin@example.org", "Association des habitants de la cité 9", "association_habitants", "Liévin",
     "Poulailler et compost collectifs", "6000", c.WAITING_LIST, None, None, ([3, 3, 2, 3, 2, 2], [3, 2, 3, 2, 2, 3])),
    ("epci-valenciennes@example.org", "Valenciennes Métropole", "epci", "Valenciennes",
     "Fête des jardins ouvriers", "10000", c.REJECTED, None, None, ([2, 2, 1, 1, 2, 3], [1, 2, 2, 1, 2, 2])),
]
AMI_REJECTION = ("Action d’animation ponctuelle sans perspective claire de poursuite par les habitants à l’issue du "
                 "financement (voir les critères de sélection).")
MILESTONES = [
    (-40, "Première réunion des habitants", "Trente habitants ont choisi les variétés de pommiers et de poiriers."),
    (-12, "Plantation des premiers arbres", "Douze arbres fruitiers plantés avec les enfants du centre de loisirs."),
]
ACCOUNTS = [("instructrice", "Inès", "Instruit", "instructrice@example.org"),
            ("comite-ami-1", "Rita", "Comité", "comite1@example.org"),
            ("comite-ami-2", "Bruno", "Comité", "comite2@example.org")]


def load(log):
    home = HomePage.objects.first()
    index = CallIndexPage.objects.first()
    if index is None:
        index = CallIndexPage(title="Appels à projets", slug="appels-a-projets", show_in_menus=True,
                              summary="Les appels à projets et micro-subventions pour la nature, leurs lauréats et "
                                      "le suivi des projets.")
        home.add_child(instance=index)
        index.save_revision().publish()
    instructors = ensure_roles()
    data = tomllib.loads(DATA_FILE.read_text())
    created = []
    for spec in data["calls"]:
        if not CallPage.objects.filter(slug=spec["slug"]).exists():
            _create_call(index, spec)
            created.append(spec["title"])
    users = _accounts(instructors)
    ami = CallPage.objects.get(slug="vivre-ensemble-au-jardin")
    micro = CallPage.objects.get(slug="micro-subventions-biodiversite")
    if not ami.applications.exists():
        _fill_ami(ami, users)
    if not micro.applications.exists():
        _fill_micro(micro)
    OutgoingEmail.objects.filter(kind__in=list(c.EMAIL_KINDS), to__endswith="@example.org").delete()
    if created:
        log(f"Appels à projets : {', '.join(created)}.")


def _create_call(index, spec):
    today = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    call = CallPage(
        title=spec["title"], slug=spec["slug"], kind=spec["kind"], summary=spec["summary"],
        context=spec["context"], eligible_actions=spec["actions"], eligible_applicant_types=spec["applicant_types"],
        eligible_territories=spec["territories"].strip(), budget_envelope=Decimal(spec["budget_envelope"]),
        minimum_amount=Decimal(spec["minimum_amount"]) if "minimum_amount" in spec else None,
        per_project_cap=Decimal(spec["per_project_cap"]), funder_name=spec["funder_name"],
        funder_siret=spec["funder_siret"], opens_at=today + datetime.timedelta(days=spec["opens"]),
        closes_at=today + datetime.timedelta(days=spec["closes"]),
        questions=[
            ("long_text", {"label": "Modalités d’implication des habitants", "help_text": "Comment les habitants "
                           "participent-ils, de la conception à la gestion ?", "required": True, "max_length": 3000}),
            ("short_text", {"label": "Partenaires locaux", "help_text": "Commune, CCAS, bailleur social, "
                            "associations…", "required": False}),
            ("date", {"label": "Date de démarrage prévue", "help_text": "", "required": True}),
            ("amount", {"label": "Budget total du projet (€)", "help_text": "", "required": True}),
            ("choice", {"label": "Le projet s’inscrit-il dans un Projet alimentaire territorial ?", "help_text": "",
                        "required": False, "choices": "Oui\nNon\nEn cours"}),
            ("checkbox", {"label": "J’atteste sur l’honneur l’exactitude des informations transmises",
                          "help_text": "", "required": True}),
            ("file", {"label": "Plan de financement", "help_text": "PDF, tableur ou document", "required": True}),
        ],
        faq=[("faq", {"question": question, "answer": f"<p>{answer}</p>"}) for question, answer in spec["faq"]],
    )
    index.add_child(instance=call)
    for order, (title, weight) in enumerate(spec["criteria"]):
        CallCriterion.objects.create(page=call, title=title, weight=weight, sort_order=order)
    call.save_revision().publish()
    return call


def _accounts(instructors):
    if not settings.BIODIVERSITHEQUE_DEMO_ACCOUNTS:
        return {}
    users = {}
    for username, first, last, email in ACCOUNTS:
        user, _status = _demo_user(get_user_model(), username, first_name=first, last_name=last, email=email,
                                   is_staff=False, is_superuser=False)
        users[username] = user
    users["instructrice"].groups.add(instructors)
    return users


def _answers(call, amount):
    answers = {}
    for question_id, block_type, value in call.question_items():
        answers[question_id] = {
            "long_text": "Un groupe d’habitants se réunit chaque mois au jardin ; les nouveaux arrivants sont "
                         "accueillis par un binôme de voisins.",
            "short_text": "Commune, bailleur social, centre social",
            "date": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
            "amount": str(Decimal(amount) * Decimal("1.4")),
            "choice": "Oui",
            "checkbox": True,
        }.get(block_type)
    return answers


def _apply(call, email, organisation, kind, territory, title, amount, now, lat=None, lon=None, association=None,
           submit=True):
    access = services.start_application(call, email, now=now)
    file_question = next((qid for qid, block_type, _v in call.question_items() if block_type == "file"), None)
    files = {}
    if file_question:
        files[file_question] = (SimpleUploadedFile("plan-de-financement.pdf", PDF), len(PDF), "application/pdf")
    fields = {"contact_name": f"Contact {organisation}", "organisation_name": organisation, "applicant_type": kind,
              "association": association, "territory": territory, "project_title": title,
              "project_summary": f"{title} : un projet porté avec les habitants, sur deux ans.",
              "amount_requested": Decimal(amount), "latitude": Decimal(lat) if lat else None,
              "longitude": Decimal(lon) if lon else None}
    services.save_draft(access, fields, _answers(call, amount), files, now=now)
    if submit:
        services.submit(access, now=now)
    return access


def _fill_ami(call, users):
    during = call.closes_at - datetime.timedelta(days=5)
    association = Association.objects.filter(slug="jardins-partages-des-tilleuls").first()
    reviewers = [users.get("comite-ami-1"), users.get("comite-ami-2")]
    group = services.ensure_committee(call)
    for reviewer in reviewers:
        if reviewer:
            reviewer.groups.add(group)
    criteria = list(call.criteria.all())
    decider = users.get("instructrice")
    accesses = []
    for email, organisation, kind, territory, title, amount, decision, lat, lon, marks in AMI_APPLICATIONS:
        access = _apply(call, email, organisation, kind, territory, title, amount, during, lat, lon,
                        association=association if email.startswith("jardins-partages") else None)
        application = Application.objects.get(pk=access.application_id)
        for reviewer, values in zip(reviewers, marks):
            if reviewer is None:
                continue
            review = services.assign_reviewer(application, reviewer)
            services.save_scores(review, {criterion: (value, "") for criterion, value in zip(criteria, values)},
                                 comment="Avis de démonstration.")
        granted = Decimal(amount) if decision == c.SELECTED else None
        if granted and granted > Decimal("9000"):
            granted = Decimal("9000")  # the envelope (48 000 €) does not cover every request in full
        services.decide(application, decision, decider, amount=granted,
                        reason=AMI_REJECTION if decision == c.REJECTED else "")
        accesses.append((access, decision))
    # A draft never submitted, and its holder's link.
    _apply(call, "brouillon-ami@example.org", "Collectif des jardins de la cité 4", "groupement", "Lens",
           "Bibliothèque au jardin", "4000", during, submit=False)
    services.publish_results(call)
    for access, decision in accesses:
        if decision != c.SELECTED:
            continue
        application = Application.objects.get(pk=access.application_id)
        for offset, title, text in MILESTONES:
            milestone = services.propose_milestone(access, timezone.localdate() + datetime.timedelta(days=offset),
                                                   title, text)
            Milestone.objects.filter(pk=milestone.pk).update(status=c.MILESTONE_APPROVED)
        services.propose_milestone(access, timezone.localdate(), "Premier comité de pilotage",
                                   "Bilan des six premiers mois avec les financeurs (en attente de validation).")
        half = (application.amount_granted / 2).quantize(Decimal("0.01"))
        Instalment.objects.create(application=application, label="Avance de 50 %", amount=half,
                                  due_date=timezone.localdate() - datetime.timedelta(days=30),
                                  status=c.INSTALMENT_PAID, paid_on=timezone.localdate() - datetime.timedelta(days=28))
        Instalment.objects.create(application=application, label="Solde", amount=application.amount_granted - half,
                                  due_date=timezone.localdate() + datetime.timedelta(days=300))


def _fill_micro(call):
    now = timezone.now()
    _apply(call, "haie-des-pres@example.org", "Collectif du chemin des Prés", "particulier", "Villeneuve-la-Verte",
           "Replanter 300 mètres de haie avant l’hiver", "8000", now)
    asked = _apply(call, "mare-ecole@example.org", "Commune de Villeneuve-la-Verte", "commune",
                   "Villeneuve-la-Verte", "Avance pour la mare pédagogique de l’école", "15000", now)
    services.request_information(Application.objects.get(pk=asked.application_id),
                                 "Pouvez-vous joindre la notification de la subvention de l’agence de l’eau ?")
    _apply(call, "nichoirs@example.org", "Association Graines de ville", "association", "Villeneuve-la-Verte",
           "Nichoirs à martinets sur le clocher", "5000", now, submit=False)
