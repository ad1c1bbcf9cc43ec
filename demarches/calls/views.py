"""Public views of a call (routed by CallPage) and the open-data API. Thin: forms in, services out."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from associations.models import map_tiles

from . import choices as c
from . import exports, services
from .forms import ApplicationForm, InformationForm, InviteForm, MilestoneForm, StartForm
from .models import CallPage
from .tokens import InvalidToken, read_token

ACTIONS = ("save", "submit", "invite", "info", "milestone")


def call_page(page, request):
    form = StartForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        try:
            services.start_application(page, form.cleaned_data["email"])
        except services.CallError as error:
            form.add_error(None, error.message)
        else:
            sent = True
    return page.render(request, context_overrides={"start_form": form, "link_sent": sent})


def _invalid(page, request, code):
    return TemplateResponse(request, "demarches/calls/application_invalid.html",
                            {"page": page, "code": code}, status=410 if code == "expired" else 404)


def application_page(page, request, token):
    try:
        access = read_token(token, call=page)
    except InvalidToken as error:
        return _invalid(page, request, error.code)
    application = access.application
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in ACTIONS:
        action = None
    form = ApplicationForm(request.POST if action in ("save", "submit") else None,
                           request.FILES if action in ("save", "submit") else None,
                           call=page, application=application, email=access.email)
    invite_form = InviteForm(request.POST if action == "invite" else None)
    info_form = InformationForm(request.POST if action == "info" else None)
    milestone_form = MilestoneForm(request.POST if action == "milestone" else None,
                                   request.FILES if action == "milestone" else None)
    problems = []
    try:
        if action in ("save", "submit") and form.is_valid():
            fields, answers = form.split()
            services.save_draft(access, fields, answers, form.uploads)
            if action == "submit":
                services.submit(access)
                messages.success(request, _("Votre dossier est déposé. Un accusé de dépôt vous est envoyé."))
            else:
                messages.success(request, _("Brouillon enregistré."))
            return redirect(request.path)
        if action == "invite" and invite_form.is_valid():
            services.invite_co_applicant(access, invite_form.cleaned_data["email"])
            messages.success(request, _("Invitation envoyée."))
            return redirect(request.path)
        if action == "info" and info_form.is_valid():
            services.answer_information(access, info_form.cleaned_data["response"])
            messages.success(request, _("Réponse transmise à l’équipe d’instruction."))
            return redirect(request.path)
        if action == "milestone" and milestone_form.is_valid():
            data = milestone_form.cleaned_data
            services.propose_milestone(access, data["date"], data["title"], data["text"], data["photo"])
            messages.success(request, _("Jalon envoyé : il sera publié après validation."))
            return redirect(request.path)
    except services.CallError as error:
        problems = [error.message, *error.problems]
    application.refresh_from_db()
    eligibility = services.eligibility_problems(application) if application.is_draft else []
    return TemplateResponse(request, "demarches/calls/application_form.html", {
        "page": page, "call": page, "access": access, "token": token, "application": application, "form": form,
        "invite_form": invite_form, "info_form": info_form, "milestone_form": milestone_form,
        "problems": problems, "eligibility": eligibility, "files": application.files.all(),
        "show_decision": bool(page.results_published_at),
        "is_laureate": bool(page.results_published_at) and application.decision == c.SELECTED,
        "milestones": application.milestones.all(),
    }, status=400 if problems or form.errors or milestone_form.errors else 200)


def application_file(page, request, token, file_id):
    try:
        access = read_token(token, call=page)
    except InvalidToken as error:
        return _invalid(page, request, error.code)
    stored = get_object_or_404(access.application.files, pk=file_id)
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                        content_type=stored.content_type)


def laureates_page(page, request):
    if not page.results_published_at:
        raise Http404
    laureates = list(page.laureates().prefetch_related("milestones", "association"))
    places = [{"name": item.project_title, "latitude": item.latitude, "longitude": item.longitude,
               "slug": f"#projet-{item.pk}", "address": item.applicant_display, "postal_code": "",
               "city": item.territory} for item in laureates if item.has_coordinates]
    return TemplateResponse(request, "demarches/calls/laureates.html", {
        "page": page, "call": page, "laureates": laureates, "places": places, "map_tiles": map_tiles(),
        "granted_total": page.granted_total(),
    })


@require_GET
def api_calls(request):
    calls = CallPage.objects.live().public().order_by("-closes_at")
    return JsonResponse({"count": len(calls), "results": [exports.call_summary(call) for call in calls]},
                        json_dumps_params={"ensure_ascii": False})


def _live_call(pk):
    return get_object_or_404(CallPage.objects.live().public(), pk=pk)


@require_GET
def api_call_dispositif(request, pk):
    return JsonResponse(exports.dispositif_aide(_live_call(pk)), json_dumps_params={"ensure_ascii": False})


@require_GET
def api_call_subventions(request, pk):
    return exports.subventions_response(_live_call(pk))


