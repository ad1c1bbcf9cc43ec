"""The rules of a call, each one transaction locking the rows it changes or counts.

Refusals raise CallError with a machine-readable `code` and a French `message` the views show.
"""

import datetime
import statistics
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import choices as c
from . import mail
from .models import (
    ApplicantAccess, Application, ApplicationFile, CallPage, InstructorNote, Milestone, Review, Score,
)
from .territories import is_eligible_territory

# Drafts' links stay valid a while after the closing (to read them); laureates' for the follow-up.
LINK_GRACE = datetime.timedelta(days=60)
LAUREATE_LINK_LIFETIME = datetime.timedelta(days=3 * 365)
REMINDER_BEFORE = datetime.timedelta(hours=48)
REQUIRED_FIELDS = {
    "contact_name": _("la personne à contacter"),
    "applicant_type": _("le type de porteur"),
    "territory": _("le territoire du projet"),
    "project_title": _("le titre du projet"),
    "project_summary": _("le résumé du projet"),
    "amount_requested": _("le montant demandé"),
}


class CallError(Exception):
    def __init__(self, code, message, problems=()):
        super().__init__(message)
        self.code = code
        self.message = message
        self.problems = list(problems)


def _locked(application_id):
    return Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application_id)


def _check_open(call, now):
    if now < call.opens_at:
        raise CallError("not_open", _("Cet appel n’est pas encore ouvert."))
    if now >= call.closes_at or call.results_published_at:
        raise CallError("closed", _("Cet appel est clos depuis le %(date)s : les dossiers ne peuvent plus être "
                                    "modifiés ni déposés.")
                        % {"date": timezone.localtime(call.closes_at).strftime("%d/%m/%Y à %H:%M")})


# Applying ------------------------------------------------------------------------------------------

@transaction.atomic
def start_application(call, email, now=None):
    """Open a draft for `email` (or find its draft) and e-mail the signed link. Says nothing else."""
    now = now or timezone.now()
    _check_open(call, now)
    email = email.strip().lower()
    access = (ApplicantAccess.objects.select_related("application__call")
              .filter(application__call=call, email=email, role=ApplicantAccess.OWNER).first())
    if access is None:
        application = Application.objects.create(call=call, email=email)
        access = ApplicantAccess.objects.create(application=application, email=email,
                                                expires_at=call.closes_at + LINK_GRACE)
    mail.send("call_link", access)
    return access


def store_answers(application, fields, answers, files):
    """Write the form's values to a locked draft; `files` is {question_id: (upload, size, content_type)}."""
    for name, value in fields.items():
        setattr(application, name, value)
    application.answers = {**(application.answers or {}), **answers}
    application.save()
    for question_id, (upload, size, content_type) in files.items():
        ApplicationFile.objects.create(application=application, question_id=question_id, file=upload,
                                       original_name=upload.name[:255], size=size, content_type=content_type)


@transaction.atomic
def save_draft(access, fields, answers, files, now=None):
    now = now or timezone.now()
    application = _locked(access.application_id)
    _check_open(application.call, now)
    if not application.is_draft:
        raise CallError("submitted", _("Ce dossier est déjà déposé : il ne peut plus être modifié."))
    store_answers(application, fields, answers, files)
    return application


def eligibility_problems(application):
    """Reasons that block submission, in French, in the order of the form."""
    call = application.call
    problems = []
    missing = [label for name, label in REQUIRED_FIELDS.items() if getattr(application, name) in ("", None)]
    if missing:
        problems.append(_("Informations manquantes : %s.") % ", ".join(str(label) for label in missing))
    if application.applicant_type and call.eligible_applicant_types and \
            application.applicant_type not in call.eligible_applicant_types:
        problems.append(_("Les porteurs de type « %(type)s » ne sont pas éligibles à cet appel.")
                        % {"type": application.get_applicant_type_display()})
    if application.territory and not is_eligible_territory(application.territory, call.territories()):
        problems.append(_("Le territoire « %(territory)s » ne fait pas partie des territoires éligibles.")
                        % {"territory": application.territory})
    amount = application.amount_requested
    if amount is not None:
        if call.per_project_cap is not None and amount > call.per_project_cap:
            problems.append(_("Le montant demandé (%(amount)s €) dépasse le plafond de %(cap)s € par projet.")
                            % {"amount": amount, "cap": call.per_project_cap})
        if call.minimum_amount is not None and amount < call.minimum_amount:
            problems.append(_("Le montant demandé (%(amount)s €) est inférieur au minimum de %(min)s €.")
                            % {"amount": amount, "min": call.minimum_amount})
    files = set(application.files.values_list("question_id", flat=True))
    for question_id, block_type, value in call.question_items():
        if not value.get("required"):
            continue
        answer = (application.answers or {}).get(question_id)
        answered = question_id in files if block_type == "file" else answer not in (None, "", False, [])
        if not answered:
            problems.append(_("Réponse manquante : « %(question)s ».") % {"question": value["label"]})
    return problems


@transaction.atomic
def submit(access, now=None):
    now = now or timezone.now()
    application = _locked(access.application_id)
    call = application.call
    if not application.is_draft:
        raise CallError("submitted", _("Ce dossier est déjà déposé."))
    _check_open(call, now)
    problems = eligibility_problems(application)
    if problems:
        raise CallError("ineligible", _("Le dossier ne peut pas être déposé :"), problems)
    application.status = c.SUBMITTED
    application.submitted_at = now
    application.number = f"{timezone.localtime(call.closes_at).year}-{call.pk:03d}-{application.pk:05d}"
    application.save(update_fields=["status", "submitted_at", "number", "updated_at"])
    for person in application.accesses.all():
        mail.send("call_receipt", person, dedupe_key=f"call-receipt-{person.pk}")
    return application


@transaction.atomic
def invite_co_applicant(access, email, now=None):
    now = now or timezone.now()
    application = _locked(access.application_id)
    _check_open(application.call, now)
    email = email.strip().lower()
    if application.accesses.filter(email=email).exists():
        raise CallError("duplicate", _("Cette personne a déjà accès au dossier."))
    invited = ApplicantAccess.objects.create(application=application, email=email,
                                             role=ApplicantAccess.CO_APPLICANT, expires_at=access.expires_at)
    mail.send("call_invitation", invited, inviter=access.email)
    return invited


def remind_drafts(now=None):
    """E-mail draft holders of calls closing within 48 hours, once each. Returns how many drafts."""
    now = now or timezone.now()
    count = 0
    drafts = Application.objects.filter(
        status=c.DRAFT, reminded_at__isnull=True, call__closes_at__gt=now,
        call__closes_at__lte=now + REMINDER_BEFORE, call__live=True,
    ).values_list("pk", flat=True)
    for pk in drafts:
        with transaction.atomic():
            application = _locked(pk)
            if application.reminded_at:
                continue
            application.reminded_at = now
            application.save(update_fields=["reminded_at"])
            for person in application.accesses.all():
                mail.send("call_reminder", person, dedupe_key=f"call-reminder-{person.pk}")
            count += 1
    return count


@transaction.atomic
def answer_information(access, text, now=None):
    now = now or timezone.now()
    application = _locked(access.application_id)
    if not application.info_requested_at or application.call.results_published_at:
        raise CallError("no_request", _("Aucun complément n’est demandé pour ce dossier."))
    application.info_response = text
    application.info_answered_at = now
    application.save(update_fields=["info_response", "info_answered_at", "updated_at"])
    return application


# Committee -----------------------------------------------------------------------------------------

def committee_name(call):
    return f"{c.COMMITTEE_GROUP_PREFIX}{call.title}"[:150]


@transaction.atomic
def ensure_committee(call):
    """The call's committee group (created once; members need the admin to review)."""
    call = CallPage.objects.select_for_update().get(pk=call.pk)
    group = call.committee_group
    if group is None:
        group, _created = Group.objects.get_or_create(name=committee_name(call))
        CallPage.objects.filter(pk=call.pk).update(committee_group=group)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return group


@transaction.atomic
def assign_reviewer(application, user):
    application = _locked(application.pk)
    group = application.call.committee_group
    if group is None or not user.groups.filter(pk=group.pk).exists():
        raise CallError("not_committee", _("Cette personne n’est pas membre du comité de l’appel."))
    if application.status != c.SUBMITTED:
        raise CallError("draft", _("Seuls les dossiers déposés sont évalués."))
    review, _created = Review.objects.get_or_create(application=application, reviewer=user)
    return review


@transaction.atomic
def declare_conflict(review, reason):
    review = Review.objects.select_for_update().get(pk=review.pk)
    review.conflict_of_interest = True
    review.conflict_reason = reason[:300]
    review.submitted_at = None
    review.save()
    # Scores given before the declaration must not weigh on the ranking.
    review.scores.all().delete()
    return review


@transaction.atomic
def save_scores(review, scores, comment=""):
    """`scores`: {criterion: (value, comment)}; every criterion of the call must be scored."""
    review = Review.objects.select_for_update().select_related("application__call").get(pk=review.pk)
    call = review.application.call
    if review.conflict_of_interest:
        raise CallError("conflict", _("Vous avez déclaré un conflit d’intérêts sur ce dossier."))
    if call.results_published_at:
        raise CallError("closed", _("Les résultats sont publiés : les évaluations sont closes."))
    criteria = list(call.criteria.all())
    if {criterion.pk for criterion in criteria} != {criterion.pk for criterion in scores}:
        raise CallError("incomplete", _("Notez chacun des critères."))
    for criterion, (value, note) in scores.items():
        if not (c.SCORE_MIN <= int(value) <= c.SCORE_MAX):
            raise CallError("range", _("Les notes vont de 0 à 5."))
        Score.objects.update_or_create(review=review, criterion=criterion,
                                       defaults={"value": int(value), "comment": note})
    review.comment = comment
    review.submitted_at = timezone.now()
    review.save(update_fields=["comment", "submitted_at"])
    return review


def ranking(call):
    """Per submitted application: criteria averages and spread, weighted total on 5, rank (best first)."""
    criteria = list(call.criteria.all())
    total_weight = sum(criterion.weight for criterion in criteria) or 1
    applications = list(call.applications.filter(status=c.SUBMITTED).select_related("association"))
    scores = Score.objects.filter(review__application__call=call, review__conflict_of_interest=False) \
        .values_list("review__application_id", "criterion_id", "value")
    by_application = {}
    for application_id, criterion_id, value in scores:
        by_application.setdefault(application_id, {}).setdefault(criterion_id, []).append(value)
    reviewers = {}
    for application_id in Review.objects.filter(application__call=call, conflict_of_interest=False,
                                                submitted_at__isnull=False).values_list("application_id", flat=True):
        reviewers[application_id] = reviewers.get(application_id, 0) + 1
    rows = []
    for application in applications:
        values = by_application.get(application.pk, {})
        cells, weighted = [], None
        for criterion in criteria:
            marks = values.get(criterion.pk, [])
            average = statistics.fmean(marks) if marks else None
            spread = (max(marks) - min(marks)) if marks else None
            cells.append({"criterion": criterion, "average": average, "spread": spread})
        if values and all(cell["average"] is not None for cell in cells):
            weighted = sum(cell["average"] * cell["criterion"].weight for cell in cells) / total_weight
        rows.append({"application": application, "cells": cells, "weighted": weighted,
                     "reviews": reviewers.get(application.pk, 0),
                     "max_spread": max((cell["spread"] for cell in cells if cell["spread"] is not None),
                                       default=None)})
    rows.sort(key=lambda row: (row["weighted"] is None, -(row["weighted"] or 0), row["application"].pk))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["weighted"] is not None else None
    return rows


# Instruction and decisions -------------------------------------------------------------------------

@transaction.atomic
def add_note(application, author, text):
    if not text.strip():
        raise CallError("empty", _("La note est vide."))
    return InstructorNote.objects.create(application=application, author=author, text=text.strip())


@transaction.atomic
def request_information(application, text, now=None):
    now = now or timezone.now()
    application = _locked(application.pk)
    if application.status != c.SUBMITTED or application.call.results_published_at:
        raise CallError("state", _("On ne demande des compléments que sur un dossier déposé, avant les résultats."))
    if not text.strip():
        raise CallError("empty", _("Précisez les compléments demandés."))
    application.info_request = text.strip()
    application.info_requested_at = now
    application.info_response = ""
    application.info_answered_at = None
    application.save(update_fields=["info_request", "info_requested_at", "info_response", "info_answered_at"])
    owner = application.accesses.filter(role=ApplicantAccess.OWNER).first()
    if owner:
        mail.send("call_info_request", owner)
    return application


@transaction.atomic
def decide(application, decision, by, amount=None, reason=""):
    """Record a decision; it stays hidden from the applicant until `publish_results`."""
    application = _locked(application.pk)
    call = application.call
    if call.results_published_at:
        raise CallError("published", _("Les résultats de cet appel sont publiés : les décisions sont figées."))
    if application.status != c.SUBMITTED:
        raise CallError("draft", _("Un brouillon ne reçoit pas de décision."))
    if decision not in dict(c.DECISION_CHOICES):
        raise CallError("invalid", _("Décision inconnue."))
    if decision == c.SELECTED:
        if amount is None or amount <= 0:
            raise CallError("amount", _("Indiquez le montant accordé."))
        if call.per_project_cap is not None and amount > call.per_project_cap:
            raise CallError("cap", _("Le montant accordé dépasse le plafond de %(cap)s € par projet.")
                            % {"cap": call.per_project_cap})
        if call.budget_envelope is not None:
            others = call.applications.filter(decision=c.SELECTED).exclude(pk=application.pk) \
                .values_list("amount_granted", flat=True)
            if sum((value or Decimal("0")) for value in others) + amount > call.budget_envelope:
                raise CallError("envelope", _("Ce montant dépasserait l’enveloppe de l’appel (%(envelope)s €).")
                                % {"envelope": call.budget_envelope})
    if decision == c.REJECTED and not reason.strip():
        raise CallError("reason", _("Indiquez le motif du refus : il sera communiqué au porteur."))
    application.decision = decision
    application.amount_granted = amount if decision == c.SELECTED else None
    application.decision_reason = reason.strip()
    application.decided_at = timezone.now()
    application.decided_by = by
    application.save()
    return application


@transaction.atomic
def publish_results(call, now=None):
    """The committee closes the call: decisions become visible and decision e-mails go out."""
    now = now or timezone.now()
    call = CallPage.objects.select_for_update().get(pk=call.pk)
    if call.results_published_at:
        raise CallError("published", _("Les résultats sont déjà publiés."))
    if now < call.closes_at:
        raise CallError("open", _("L’appel est encore ouvert : attendez la clôture pour publier les résultats."))
    undecided = call.applications.filter(status=c.SUBMITTED, decision=c.PENDING).count()
    if undecided:
        raise CallError("undecided", _("%(count)s dossier(s) déposé(s) n’ont pas encore de décision.")
                        % {"count": undecided})
    CallPage.objects.filter(pk=call.pk).update(results_published_at=now)
    call.results_published_at = now
    ApplicantAccess.objects.filter(application__call=call, application__decision=c.SELECTED) \
        .update(expires_at=now + LAUREATE_LINK_LIFETIME)
    for application in call.applications.filter(status=c.SUBMITTED).select_related("call"):
        application.call = call
        owner = application.accesses.filter(role=ApplicantAccess.OWNER).first()
        if owner:
            mail.send("call_decision", owner, dedupe_key=f"call-decision-{application.pk}")
    return call


# Follow-up -----------------------------------------------------------------------------------------

@transaction.atomic
def propose_milestone(access, date, title, text, photo=None):
    application = _locked(access.application_id)
    if not (application.decision == c.SELECTED and application.call.results_published_at):
        raise CallError("not_laureate", _("Seuls les projets retenus publient leur avancement."))
    milestone = Milestone(application=application, date=date, title=title, text=text)
    if photo is not None:
        milestone.photo.save(photo.name, photo, save=False)
    milestone.save()
    return milestone


@transaction.atomic
def review_milestone(milestone, approve, by):
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    milestone.status = c.MILESTONE_APPROVED if approve else c.MILESTONE_REJECTED
    milestone.reviewed_by = by
    milestone.save(update_fields=["status", "reviewed_by"])
    return milestone


# Personal data -------------------------------------------------------------------------------------

def purge_personal_data(now=None, days=None):
    """Erase applicants' details of non-retained applications once the retention delay has passed after the
    results (or after the closing, for drafts never submitted). Laureates' public details are kept."""
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    limit = now - datetime.timedelta(days=days)
    with transaction.atomic():
        drafts = Application.objects.filter(status=c.DRAFT, call__closes_at__lt=limit)
        for application in drafts:
            for stored in application.files.all():
                stored.file.delete(save=False)
        deleted_drafts = drafts.count()
        drafts.delete()
        stale = Application.objects.select_for_update().filter(
            status=c.SUBMITTED, anonymised_at__isnull=True, call__results_published_at__lt=limit,
        ).filter(~Q(decision=c.SELECTED))
        anonymised = 0
        for application in stale:
            for stored in application.files.all():
                stored.file.delete(save=False)
            application.files.all().delete()
            application.accesses.all().delete()
            application.notes.all().delete()
            Application.objects.filter(pk=application.pk).update(
                email="", contact_name="", organisation_name="", rna="", siret="", association=None,
                project_summary="", answers={}, info_request="", info_response="", latitude=None,
                longitude=None, decision_reason="", anonymised_at=now,
            )
            anonymised += 1
    return {"drafts_deleted": deleted_drafts, "anonymised": anonymised}
