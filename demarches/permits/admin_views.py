"""Instruction screens: one page per request (details, photos, history, opinions, actions), the map of all
requests and the statistics. Every view asks the request policy; every change goes through the services."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from ressources.maps import map_tiles

from . import choices, services
from .forms import DecisionForm, InformationRequestForm, OpinionForm
from .models import Commune, PermitRequest
from .permissions import can_decide, commune_ids_for, permit_policy, user_services
from .stats import agent_statistics


def _visible(request):
    return permit_policy.filter_for_user(request.user, PermitRequest.objects.all(), ("view",))


def _get(request, pk):
    permit = get_object_or_404(PermitRequest.objects.select_related("commune", "support_type", "charter",
                                                                    "association"), pk=pk)
    if not permit_policy.user_has_permission_for_instance(request.user, "view", permit):
        raise PermissionDenied
    return permit


def instruct_view(request, pk):
    permit = _get(request, pk)
    is_agent = permit_policy.is_agent_for(request.user, permit)
    services_of_user = user_services(request.user) if is_agent else []
    action = request.POST.get("action") if request.method == "POST" else None
    info_form = InformationRequestForm(request.POST if action == "info" else None)
    opinion_form = OpinionForm(request.POST if action == "opinion" else None, services=services_of_user)
    decision_form = DecisionForm(request.POST if action == "decide" else None, charter=permit.charter)
    if action:
        if not is_agent or not permit_policy.user_has_permission_for_instance(request.user, "change", permit):
            raise PermissionDenied
        try:
            done = _act(request, permit, action, info_form, opinion_form, decision_form)
        except services.PermitError as error:
            messages.error(request, error.message)
            done = False
        if done:
            messages.success(request, done)
            return redirect("demarches_permit_instruct", pk=permit.pk)
    opinions = permit.opinions_by_service
    return TemplateResponse(request, "demarches/permits/admin/instruct.html", {
        "permit": permit, "events": permit.events.select_related("actor"), "photos": permit.photos.all(),
        "opinions": [(code, label, opinions.get(code)) for code, label in choices.services()],
        "required": choices.required_services(), "missing": permit.missing_opinions(),
        "is_agent": is_agent, "can_change": is_agent and permit_policy.user_has_permission_for_instance(
            request.user, "change", permit),
        "can_decide": can_decide(request.user, permit), "info_form": info_form, "opinion_form": opinion_form,
        "decision_form": decision_form, "has_services": bool(services_of_user),
        "days_left": permit.days_left(), "open": permit.status in choices.OPEN_STATUSES,
    })


def _act(request, permit, action, info_form, opinion_form, decision_form):
    user = request.user
    if action == "start":
        services.start_instruction(permit.pk, user)
        return _("Demande mise en instruction.")
    if action == "ask_opinions":
        services.ask_opinions(permit.pk, user)
        return _("Avis des services demandés.")
    if action == "info" and info_form.is_valid():
        services.request_information(permit.pk, user, info_form.cleaned_data["message"])
        return _("Complément demandé au demandeur (e-mail envoyé).")
    if action == "opinion" and opinion_form.is_valid():
        data = opinion_form.cleaned_data
        services.give_opinion(permit.pk, user, data["service"], data["favourable"], data["comment"])
        return _("Avis enregistré.")
    if action == "decide" and decision_form.is_valid():
        if not can_decide(user, permit):
            raise PermissionDenied
        data = decision_form.cleaned_data
        services.decide(permit.pk, user, data["decision"] == "granted", data["clause"], data["comment"])
        return _("Décision enregistrée ; le demandeur la reçoit par e-mail avec le courrier en PDF.")
    if action == "abandon":
        services.abandon(permit.pk, user, request.POST.get("message", ""))
        return _("Demande classée sans suite.")
    if action not in ("info", "opinion", "decide"):
        messages.error(request, _("Action inconnue."))
    return False


def photo_view(request, pk, photo_id):
    permit = _get(request, pk)
    photo = get_object_or_404(permit.photos, pk=photo_id)
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


def letter_view(request, pk):
    permit = _get(request, pk)
    if permit.status not in (*choices.VALID_STATUSES, choices.REFUSED, choices.EXPIRED):
        raise PermissionDenied
    response = HttpResponse(services.decision_letter(permit), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{permit.reference}.pdf"'
    return response


def _commune_choice(request):
    communes = Commune.objects.all()
    allowed = commune_ids_for(request.user)
    if allowed is not None:
        communes = communes.filter(pk__in=allowed)
    slug = request.GET.get("commune", "")
    return communes, communes.filter(slug=slug).first() if slug else None


def map_view(request):
    if not permit_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    communes, commune = _commune_choice(request)
    permits = _visible(request).select_related("support_type", "commune").filter(latitude__isnull=False)
    if commune:
        permits = permits.filter(commune=commune)
    return TemplateResponse(request, "demarches/permits/admin/map.html", {
        "permits": permits[:1000], "communes": communes, "commune": commune, "map_tiles": map_tiles(),
        "center": (communes.first() or Commune(min_latitude=47, max_latitude=47, min_longitude=0, max_longitude=0)).center,
    })


def stats_view(request):
    if not permit_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    communes, commune = _commune_choice(request)
    requests = _visible(request)
    if commune:
        requests = requests.filter(commune=commune)
    return TemplateResponse(request, "demarches/permits/admin/stats.html", {
        "stats": agent_statistics(requests), "communes": communes, "commune": commune,
    })
