"""Instruction and committee screens. Each view asks the application's permission policy first."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from biodiversitheque.core.csvio import csv_response

from . import choices as c
from . import services
from .admin_forms import AssignForm, ConflictForm, DecisionForm, InformationRequestForm, NoteForm, ScoreForm
from .models import Application, ApplicationFile, CallPage, Milestone, Review
from .permissions import application_policy, file_policy, milestone_policy


def is_instructor(user):
    return application_policy.user_sees_every_row(user, "change")


def can_decide(user):
    return user.has_perm("demarches.decide_application")


def is_committee_member(user, call):
    return bool(call.committee_group_id) and user.groups.filter(pk=call.committee_group_id).exists()


def _application_for(request, pk):
    application = get_object_or_404(Application.objects.select_related("call", "association"), pk=pk)
    if not application_policy.user_has_permission_for_instance(request.user, "view", application):
        raise PermissionDenied(_("Ce dossier ne vous est pas attribué."))
    return application


def application_detail(request, pk):
    application = _application_for(request, pk)
    call = application.call
    user = request.user
    instructor = is_instructor(user)
    review = Review.objects.filter(application=application, reviewer=user).first()
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "score": ScoreForm(request.POST if action == "score" else None, criteria=call.criteria.all(),
                           review=review) if review and not review.conflict_of_interest else None,
        "conflict": ConflictForm(request.POST if action == "conflict" else None) if review else None,
        "note": NoteForm(request.POST if action == "note" else None) if instructor else None,
        "info": InformationRequestForm(request.POST if action == "info" else None) if instructor else None,
        "assign": AssignForm(request.POST if action == "assign" else None, call=call) if instructor else None,
        "decision": DecisionForm(request.POST if action == "decision" else None, initial={
            "decision": application.decision or None, "amount": application.amount_granted,
            "reason": application.decision_reason}) if can_decide(user) else None,
    }
    form = forms.get(action)
    if action and form is None:
        raise PermissionDenied
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "score":
                services.save_scores(review, form.scores(), data["comment"])
                messages.success(request, _("Évaluation enregistrée."))
            elif action == "conflict":
                services.declare_conflict(review, data["reason"])
                messages.success(request, _("Conflit d’intérêts déclaré : vous ne verrez plus ce dossier."))
                return redirect("calls_ranking", call.pk) if is_committee_member(user, call) else redirect(
                    "wagtailadmin_home")
            elif action == "note":
                services.add_note(application, user, data["text"])
                messages.success(request, _("Note ajoutée."))
            elif action == "info":
                services.request_information(application, data["text"])
                messages.success(request, _("Demande envoyée au porteur par e-mail."))
            elif action == "assign":
                services.assign_reviewer(application, data["reviewer"])
                messages.success(request, _("Évaluateur affecté."))
            elif action == "decision":
                services.decide(application, data["decision"], user, amount=data["amount"], reason=data["reason"])
                messages.success(request, _("Décision enregistrée (communiquée à la publication des résultats)."))
            return redirect("calls_application", application.pk)
        except services.CallError as error:
            form.add_error(None, error.message)
    reviews = application.reviews.select_related("reviewer").prefetch_related("scores__criterion") \
        if instructor else []
    return TemplateResponse(request, "demarches/calls/admin/application_detail.html", {
        "application": application, "call": call, "review": review, "forms": forms, "instructor": instructor,
        "reviews": reviews, "notes": application.notes.select_related("author") if instructor else [],
        "files": application.files.all(), "answers": _answers(application),
        "ranking_url": reverse("calls_ranking", args=[call.pk]),
    }, status=400 if form is not None and form.errors else 200)


def _answers(application):
    files = {}
    for stored in application.files.all():
        files.setdefault(stored.question_id, []).append(stored)
    rows = []
    for question_id, block_type, value in application.call.question_items():
        answer = (application.answers or {}).get(question_id)
        rows.append({"label": value["label"], "type": block_type, "answer": answer,
                     "files": files.get(question_id, [])})
    return rows


def application_file(request, pk):
    stored = get_object_or_404(ApplicationFile.objects.select_related("application"), pk=pk)
    if not file_policy.user_has_permission_for_instance(request.user, "view", stored):
        raise PermissionDenied
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                        content_type=stored.content_type)


def _call_for_committee(request, pk):
    call = get_object_or_404(CallPage, pk=pk)
    if not (is_instructor(request.user) or is_committee_member(request.user, call)):
        raise PermissionDenied(_("Réservé aux instructeurs et au comité de cet appel."))
    return call


def ranking(request, pk):
    call = _call_for_committee(request, pk)
    rows = services.ranking(call)
    visible = set(application_policy.filter_for_user(request.user, call.applications.all()).values_list("pk",
                                                                                                     flat=True))
    if request.GET.get("format") == "csv":
        criteria = list(call.criteria.all())
        header = [_("Rang"), _("Numéro"), _("Projet"), _("Porteur"), _("Montant demandé"), _("Évaluations"),
                  *[f"{criterion.title} (×{criterion.weight})" for criterion in criteria], _("Total pondéré /5"),
                  _("Décision")]
        lines = ([row["rank"], row["application"].number, row["application"].project_title,
                  row["application"].applicant_display, row["application"].amount_requested, row["reviews"],
                  *[cell["average"] for cell in row["cells"]], row["weighted"],
                  row["application"].get_decision_display()] for row in rows)
        return csv_response(f"classement-appel-{call.pk}.csv", header, lines)
    return TemplateResponse(request, "demarches/calls/admin/ranking.html", {
        "call": call, "rows": rows, "criteria": call.criteria.all(), "visible": visible,
        "can_decide": can_decide(request.user), "instructor": is_instructor(request.user),
        "granted_total": call.granted_total(), "paid_total": call.paid_total(),
        "drafts": call.applications.filter(status=c.DRAFT).count(),
    })


@require_POST
def create_committee(request, pk):
    call = get_object_or_404(CallPage, pk=pk)
    if not is_instructor(request.user):
        raise PermissionDenied
    group = services.ensure_committee(call)
    messages.success(request, _("Groupe du comité : « %(name)s ». Ajoutez-y ses membres dans Paramètres › Groupes.")
                     % {"name": group.name})
    return redirect("calls_ranking", call.pk)


def publish_results(request, pk):
    call = get_object_or_404(CallPage, pk=pk)
    if not can_decide(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.publish_results(call)
        except services.CallError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Résultats publiés : les e-mails de décision partent."))
        return redirect("calls_ranking", call.pk)
    return TemplateResponse(request, "demarches/calls/admin/publish_confirm.html", {
        "call": call, "submitted": call.applications.filter(status=c.SUBMITTED).count(),
        "undecided": call.applications.filter(status=c.SUBMITTED, decision=c.PENDING).count(),
    })


def review_milestone(request, pk, verdict):
    milestone = get_object_or_404(Milestone.objects.select_related("application"), pk=pk)
    if verdict not in ("publier", "refuser"):
        raise Http404
    if not milestone_policy.user_has_permission_for_instance(request.user, "change", milestone):
        raise PermissionDenied
    if request.method != "POST":
        return TemplateResponse(request, "demarches/calls/admin/milestone_confirm.html",
                                {"milestone": milestone, "verdict": verdict})
    services.review_milestone(milestone, verdict == "publier", request.user)
    messages.success(request, _("Jalon publié.") if verdict == "publier" else _("Jalon refusé."))
    return redirect(reverse("demarches_milestone_modeladmin_index"))


def finances(request):
    if not request.user.has_perm("demarches.view_instalment"):
        raise PermissionDenied
    calls = CallPage.objects.order_by("-closes_at")
    rows = [{"call": call, "granted": call.granted_total(), "paid": call.paid_total()} for call in calls]
    return TemplateResponse(request, "demarches/calls/admin/finances.html", {"rows": rows})
