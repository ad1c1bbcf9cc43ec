"""The permit's state machine: one function per transition, each a transaction on the locked request that
records who did what in the request's history and writes its e-mails to the outbox."""

import calendar
import datetime
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ateliers.mail import queue_message
from ateliers.models import OutgoingEmail
from biodiversitheque.core.sites import site_name

from . import choices
from .models import PermitRequest, ReferenceCounter, RequestEvent, RequestPhoto, ServiceOpinion, street_of
from .tokens import follow_url
from .pdf import text_pdf


class PermitError(Exception):
    """A refused transition: `code` for programs, `message` in French for people."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def deadline_from(moment):
    return add_months(timezone.localdate(moment), choices.decision_delay_months())


def _actor_label(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _record(permit, action, user=None, from_status="", message="", public=True, label=""):
    return RequestEvent.objects.create(
        request=permit, action=action, actor=user if getattr(user, "pk", None) else None,
        actor_label=label or _actor_label(user), from_status=from_status, to_status=permit.status,
        message=message, public=public,
    )


def _lock(permit_id):
    permit = PermitRequest.objects.select_for_update().filter(pk=permit_id).first()
    if permit is None:
        raise PermitError("not_found", _("Cette demande n'existe pas."))
    return permit


def _require(permit, statuses, message):
    if permit.status not in statuses:
        raise PermitError("wrong_status", message)


def _next_reference(year):
    counter, _created = ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"PV-{year}-{counter.last:04d}"


def _save_photos(permit, photos):
    for content, content_type, extension in photos:
        photo = RequestPhoto(request=permit, content_type=content_type)
        # A random name: the folder is not listed, and a reference number would be guessable.
        photo.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
        photo.save()


# E-mails --------------------------------------------------------------------------------------------------
def _mail_applicant(permit, kind, subject, paragraphs, attachment=None, dedupe_key=None):
    if not permit.email:
        return None
    link = follow_url(permit, absolute=True)
    lines = [_("Bonjour,"), "", *paragraphs, ""]
    if link:
        lines += [_("Suivre votre demande, répondre ou ajouter des photos : %(link)s") % {"link": link}, ""]
    lines += [_("Les services de %(site)s") % {"site": site_name()}]
    return queue_message(kind, permit.email, subject, "\n".join(lines), attachment=attachment, dedupe_key=dedupe_key)


def decision_letter(permit):
    """The decision letter as PDF bytes."""
    today = date_format(timezone.localdate(permit.decided_at or timezone.now()), "j F Y")
    lines = [
        site_name(), _("Commune de %(commune)s") % {"commune": permit.commune.name}, "",
        _("Le %(date)s") % {"date": today}, "",
        _("Objet : permis de végétaliser %(reference)s") % {"reference": permit.reference}, "",
        _("Demandeur : %(name)s") % {"name": permit.applicant_label},
        _("Lieu : %(street)s, %(commune)s") % {"street": permit.street, "commune": permit.commune.name},
        _("Support : %(support)s") % {"support": permit.support_type.name}, "",
    ]
    if permit.status in choices.VALID_STATUSES:
        valid = date_format(permit.valid_until, "j F Y") if permit.valid_until else ""
        if permit.tacit:
            lines.append(_("Faute de réponse dans le délai légal, votre demande est accordée tacitement "
                           "(le silence de l'administration vaut accord)."))
        else:
            lines.append(_("Votre demande de permis de végétaliser est accordée."))
        lines.append(_("Ce permis est valable jusqu'au %(date)s, dans le respect de la charte (version %(version)s).")
                     % {"date": valid, "version": permit.charter_version})
    else:
        lines.append(_("Votre demande de permis de végétaliser est refusée."))
        if permit.refusal_clause and permit.charter:
            lines.append(_("Motif : article %(number)s de la charte — %(text)s") % {
                "number": permit.refusal_clause, "text": permit.charter.clause(permit.refusal_clause)})
    if permit.decision_comment:
        lines += ["", permit.decision_comment]
    lines += ["", _("Cette décision peut faire l'objet d'un recours gracieux auprès de la mairie ou d'un recours "
                    "contentieux devant le tribunal administratif dans un délai de deux mois.")]
    return text_pdf(lines, title=permit.reference)


def _send_decision(permit, kind):
    subject = (_("Votre permis de végétaliser %(reference)s est accordé") if permit.status in choices.VALID_STATUSES
               else _("Votre demande de permis de végétaliser %(reference)s est refusée")) % {
        "reference": permit.reference}
    paragraphs = [_("La décision sur votre demande %(reference)s est jointe à ce message (PDF).")
                  % {"reference": permit.reference}]
    attachment = (f"decision-{permit.reference}.pdf", decision_letter(permit), "application/pdf")
    _mail_applicant(permit, kind, subject, paragraphs, attachment=attachment,
                    dedupe_key=f"permit-decision-{permit.pk}-{permit.decided_at:%Y%m%d%H%M%S}")


# Applicant's side -----------------------------------------------------------------------------------------
def submit_request(campaign, data, photos=(), submission_key=None):
    """Create a request (data: cleaned form values); returns (permit, created). The same submission_key
    twice (a double click, a reload) returns the first request instead of a second one."""
    if submission_key:
        existing = PermitRequest.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing, False
    now = timezone.now()
    if not campaign.is_open(timezone.localdate(now)):
        raise PermitError("closed", _("Les demandes sont fermées en ce moment."))
    charter = campaign.charter
    try:
        with transaction.atomic():
            permit = PermitRequest.objects.create(
                campaign=campaign, reference=_next_reference(now.year), submission_key=submission_key or None,
                commune=data["commune"], district=data.get("district", ""), support_type=data["support_type"],
                applicant_kind=data["applicant_kind"], association=data.get("association"),
                organisation=data.get("organisation", ""), name=data["name"], email=data["email"],
                phone=data.get("phone", ""), address=data["address"], street=street_of(data["address"]),
                latitude=data.get("latitude"), longitude=data.get("longitude"), description=data["description"],
                charter=charter, charter_version=charter.version if charter else "",
                charter_accepted_at=now, consent_at=now, submitted_at=now,
                # Assumed complete when deposited: the legal clock starts now, an "incomplete" stops it.
                complete_at=now, deadline_on=deadline_from(now),
            )
            _save_photos(permit, photos)
            _record(permit, "submitted", label=_("Demandeur"))
            _mail_applicant(
                permit, "permit_received",
                _("Votre demande de permis de végétaliser %(reference)s") % {"reference": permit.reference},
                [_("Votre demande %(reference)s est bien enregistrée. Les services de la commune vont l'instruire ; "
                   "sans réponse de leur part avant le %(date)s, elle sera accordée tacitement.")
                 % {"reference": permit.reference, "date": date_format(permit.deadline_on, "j F Y")}],
            )
    except IntegrityError:
        existing = PermitRequest.objects.filter(submission_key=submission_key).first() if submission_key else None
        if existing is None:
            raise
        return existing, False
    return permit, True


@transaction.atomic
def answer_information(permit_id, answer, photos=()):
    permit = _lock(permit_id)
    _require(permit, (choices.INCOMPLETE,), _("Aucun complément n'est demandé pour cette demande."))
    if permit.photos.count() + len(photos) > choices.MAX_PHOTOS:
        raise PermitError("too_many_photos", _("Une demande compte au plus %(max)s photos.")
                          % {"max": choices.MAX_PHOTOS})
    previous = permit.status
    now = timezone.now()
    permit.info_answer = answer
    permit.status = choices.INSTRUCTION
    # The request is complete now: the legal delay starts again from today.
    permit.complete_at = now
    permit.deadline_on = deadline_from(now)
    permit.save(update_fields=["info_answer", "status", "complete_at", "deadline_on"])
    _save_photos(permit, photos)
    _record(permit, "answered", from_status=previous, message=answer, label=_("Demandeur"))
    return permit


@transaction.atomic
def add_photos(permit_id, photos):
    permit = _lock(permit_id)
    _require(permit, choices.OPEN_STATUSES, _("Cette demande est close : on ne peut plus y ajouter de photos."))
    if permit.photos.count() + len(photos) > choices.MAX_PHOTOS:
        raise PermitError("too_many_photos", _("Une demande compte au plus %(max)s photos.")
                          % {"max": choices.MAX_PHOTOS})
    _save_photos(permit, photos)
    _record(permit, "photos_added", from_status=permit.status, label=_("Demandeur"),
            message=_("%(count)s photo(s) ajoutée(s).") % {"count": len(photos)})
    return permit


@transaction.atomic
def renew(permit_id, today=None):
    permit = _lock(permit_id)
    today = today or timezone.localdate()
    _require(permit, choices.VALID_STATUSES, _("Seul un permis en cours peut être renouvelé."))
    if not permit.valid_until or (permit.valid_until - today).days > choices.renewal_notice_days():
        raise PermitError("too_early", _("Le renouvellement s'ouvre %(days)s jours avant la fin du permis.")
                          % {"days": choices.renewal_notice_days()})
    previous = permit.status
    permit.status = choices.RENEWED
    permit.valid_until = add_months(permit.valid_until, 12 * choices.validity_years())
    permit.save(update_fields=["status", "valid_until"])
    _record(permit, "renewed", from_status=previous, label=_("Demandeur"),
            message=_("Valable jusqu'au %(date)s.") % {"date": date_format(permit.valid_until, "j F Y")})
    return permit


# Agents' side ---------------------------------------------------------------------------------------------
@transaction.atomic
def request_information(permit_id, user, message):
    permit = _lock(permit_id)
    _require(permit, (choices.DEPOSITED, choices.INSTRUCTION, choices.OPINIONS),
             _("On ne peut demander un complément que sur une demande en cours."))
    if not message.strip():
        raise PermitError("empty", _("Dites au demandeur ce qui manque."))
    previous = permit.status
    permit.status = choices.INCOMPLETE
    permit.info_requested, permit.info_answer = message, ""
    # The legal delay runs only on a complete request.
    permit.complete_at = permit.deadline_on = None
    permit.save(update_fields=["status", "info_requested", "info_answer", "complete_at", "deadline_on"])
    _record(permit, "info_requested", user, previous, message)
    _mail_applicant(permit, "permit_incomplete",
                    _("Demande %(reference)s : un complément est nécessaire") % {"reference": permit.reference},
                    [_("Les services ont besoin d'un complément pour instruire votre demande :"), "", message, "",
                     _("Répondez depuis votre page de suivi ; le délai d'instruction repartira de votre réponse.")])
    return permit


@transaction.atomic
def start_instruction(permit_id, user):
    permit = _lock(permit_id)
    _require(permit, (choices.DEPOSITED,), _("Seule une demande déposée peut être mise en instruction."))
    previous, permit.status = permit.status, choices.INSTRUCTION
    permit.save(update_fields=["status"])
    _record(permit, "instruction", user, previous)
    return permit


@transaction.atomic
def ask_opinions(permit_id, user):
    permit = _lock(permit_id)
    _require(permit, (choices.DEPOSITED, choices.INSTRUCTION), _("Les avis se demandent sur une demande en instruction."))
    previous, permit.status = permit.status, choices.OPINIONS
    permit.save(update_fields=["status"])
    _record(permit, "opinions_asked", user, previous)
    return permit


@transaction.atomic
def give_opinion(permit_id, user, service, favourable, comment=""):
    permit = _lock(permit_id)
    if service not in choices.service_labels():
        raise PermitError("unknown_service", _("Ce service n'est pas déclaré."))
    _require(permit, (choices.INSTRUCTION, choices.OPINIONS),
             _("Les avis se donnent sur une demande en instruction."))
    ServiceOpinion.objects.update_or_create(
        request=permit, service=service,
        defaults={"favourable": favourable, "comment": comment, "author": user, "given_at": timezone.now()},
    )
    previous = permit.status
    if permit.status == choices.INSTRUCTION:
        permit.status = choices.OPINIONS
        permit.save(update_fields=["status"])
    label = choices.service_labels()[service]
    verdict = _("favorable") if favourable else _("défavorable")
    _record(permit, "opinion", user, previous, f"{label} : {verdict}. {comment}".strip(), public=False)
    return permit


@transaction.atomic
def decide(permit_id, user, granted, clause=None, comment=""):
    permit = _lock(permit_id)
    _require(permit, (choices.INSTRUCTION, choices.OPINIONS),
             _("Une décision se prend sur une demande en instruction."))
    missing = [choices.service_labels().get(code, code) for code in permit.missing_opinions()]
    if missing:
        raise PermitError("opinions_missing", _("Il manque l'avis de : %(services)s.")
                          % {"services": ", ".join(missing)})
    if not granted:
        if not clause or not permit.charter or not permit.charter.clause(clause):
            raise PermitError("clause_required", _("Un refus cite l'article de la charte qui le motive."))
    now = timezone.now()
    previous = permit.status
    permit.status = choices.GRANTED if granted else choices.REFUSED
    permit.decided_at, permit.decided_by, permit.tacit = now, user, False
    permit.refusal_clause = None if granted else clause
    permit.decision_comment = comment
    permit.valid_until = add_months(timezone.localdate(now), 12 * choices.validity_years()) if granted else None
    permit.save(update_fields=["status", "decided_at", "decided_by", "tacit", "refusal_clause",
                               "decision_comment", "valid_until"])
    _record(permit, "decided", user, previous, comment)
    _send_decision(permit, "permit_decision")
    return permit


@transaction.atomic
def abandon(permit_id, user, message=""):
    permit = _lock(permit_id)
    _require(permit, choices.OPEN_STATUSES, _("Seule une demande en cours peut être classée."))
    previous, permit.status = permit.status, choices.ABANDONED
    permit.decided_at = timezone.now()
    permit.save(update_fields=["status", "decided_at"])
    _record(permit, "abandoned", user, previous, message)
    return permit


# The daily command ----------------------------------------------------------------------------------------
def _agents_email(permit):
    return permit.commune.contact_email or getattr(settings, "PERMIT_AGENTS_EMAIL", "")


def _tacit_approval(permit_id, today):
    with transaction.atomic():
        permit = _lock(permit_id)
        if permit.status not in choices.PENDING_STATUSES or not permit.deadline_on or permit.deadline_on > today:
            return False
        previous = permit.status
        permit.status, permit.tacit = choices.GRANTED, True
        permit.decided_at = timezone.now()
        permit.valid_until = add_months(permit.deadline_on, 12 * choices.validity_years())
        permit.save(update_fields=["status", "tacit", "decided_at", "valid_until"])
        _record(permit, "tacit", None, previous, _("Délai légal écoulé : le silence vaut accord."),
                label=_("Système"))
        _send_decision(permit, "permit_tacit")
        return True


def _expire(permit_id, today):
    with transaction.atomic():
        permit = _lock(permit_id)
        if permit.status not in choices.VALID_STATUSES or not permit.valid_until or permit.valid_until >= today:
            return False
        previous, permit.status = permit.status, choices.EXPIRED
        permit.save(update_fields=["status"])
        _record(permit, "expired", None, previous, label=_("Système"))
        _mail_applicant(permit, "permit_expired",
                        _("Votre permis de végétaliser %(reference)s a expiré") % {"reference": permit.reference},
                        [_("Votre permis est arrivé à son terme. Vous pouvez déposer une nouvelle demande.")],
                        dedupe_key=f"permit-expired-{permit.pk}")
        return True


def run_daily(today=None):
    """Reminders at D-7, tacit approvals at the deadline, renewal notices, expiries, abandoned requests."""
    today = today or timezone.localdate()
    counts = {"reminders": 0, "tacit": 0, "renewal_notices": 0, "expired": 0, "abandoned": 0}
    pending = PermitRequest.objects.filter(status__in=choices.PENDING_STATUSES, deadline_on__isnull=False)
    for permit in pending.filter(deadline_on__lte=today).values_list("pk", flat=True):
        counts["tacit"] += _tacit_approval(permit, today)
    soon = today + datetime.timedelta(days=choices.reminder_days())
    for permit in pending.filter(deadline_on__gt=today, deadline_on__lte=soon).select_related("commune"):
        to = _agents_email(permit)
        key = f"permit-reminder-{permit.pk}-{permit.deadline_on:%Y%m%d}"
        if not to or OutgoingEmail.objects.filter(dedupe_key=key).exists():
            continue
        with transaction.atomic():
            queue_message(
                "permit_deadline_reminder", to,
                _("Permis %(reference)s : accord tacite le %(date)s") % {
                    "reference": permit.reference, "date": date_format(permit.deadline_on, "j F Y")},
                _("La demande %(reference)s (%(support)s, %(street)s) sera accordée tacitement le %(date)s "
                  "faute de décision, dans %(days)s jour(s).") % {
                    "reference": permit.reference, "support": permit.support_type, "street": permit.street,
                    "date": date_format(permit.deadline_on, "j F Y"), "days": permit.days_left(today)},
                dedupe_key=key,
            )
        counts["reminders"] += 1
    valid = PermitRequest.objects.filter(status__in=choices.VALID_STATUSES, valid_until__isnull=False)
    for permit in valid.filter(valid_until__lt=today).values_list("pk", flat=True):
        counts["expired"] += _expire(permit, today)
    notice = today + datetime.timedelta(days=choices.renewal_notice_days())
    for permit in valid.filter(valid_until__gte=today, valid_until__lte=notice):
        key = f"permit-renewal-{permit.pk}-{permit.valid_until:%Y%m%d}"
        if OutgoingEmail.objects.filter(dedupe_key=key).exists():
            continue
        with transaction.atomic():
            _mail_applicant(
                permit, "permit_renewal",
                _("Votre permis de végétaliser %(reference)s arrive à échéance") % {"reference": permit.reference},
                [_("Votre permis est valable jusqu'au %(date)s. Pour le prolonger, demandez son renouvellement "
                   "depuis votre page de suivi.") % {"date": date_format(permit.valid_until, "j F Y")}],
                dedupe_key=key,
            )
        counts["renewal_notices"] += 1
    stale = timezone.now() - datetime.timedelta(days=choices.retention_days())
    for permit_id in PermitRequest.objects.filter(status=choices.INCOMPLETE).values_list("pk", flat=True):
        last = RequestEvent.objects.filter(request_id=permit_id).order_by("-at").values_list("at", flat=True).first()
        if last and last < stale:
            abandon(permit_id, None, _("Sans réponse du demandeur au complément demandé."))
            counts["abandoned"] += 1
    return counts


# Personal data --------------------------------------------------------------------------------------------
def purge_personal_data(today=None):
    """Erase the applicant of refused or abandoned requests after the retention delay, and of granted ones
    after their expiry plus that delay. The figures (support, street, dates, status) remain."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=choices.retention_days())
    closed = PermitRequest.objects.filter(anonymised_at__isnull=True)
    ids = set(closed.filter(status__in=(choices.REFUSED, choices.ABANDONED), decided_at__date__lt=limit)
              .values_list("pk", flat=True))
    ids |= set(closed.filter(status=choices.EXPIRED, valid_until__lt=limit).values_list("pk", flat=True))
    emails_deleted = 0
    for permit_id in ids:
        with transaction.atomic():
            permit = _lock(permit_id)
            emails_deleted += OutgoingEmail.objects.filter(to=permit.email, kind__startswith="permit_").delete()[0]
            for photo in permit.photos.all():
                photo.file.delete(save=False)
                photo.delete()
            point = permit.public_point()
            permit.name = permit.email = permit.phone = permit.info_answer = ""
            permit.address = permit.street
            permit.latitude, permit.longitude = point if point else (None, None)
            permit.access_key = ""
            permit.anonymised_at = timezone.now()
            permit.save()
            permit.events.update(message="")
    return {"anonymised": len(ids), "emails_deleted": emails_deleted}
