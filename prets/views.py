"""Thin views: sign-up, the borrower's space, reservation and queue, the seed log, /api/prets/."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.models import SiteSettings
from biodiversitheque.core.ratelimits import limit

from . import equipements, services
from .choices import HOLD_OFFERED, HOLD_WAITING, LOAN_ACTIVE
from .forms import ReservationForm, ResendLinkForm, SeedMovementForm, SignupForm
from .models import LendingCatalogPage, LendingPoint, SeedVarietyPage, ThingPage
from .tokens import InvalidToken, read_token, space_url

SESSION_KEY = "prets_borrower_token"


def _private(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


@limit("registration", method="POST")
def signup(request, catalogue):
    form = SignupForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.signup(data["name"], data["email"], data["phone"], data["consent"])
        except services.LendingError as error:
            form.add_error(None, error.message)
        else:
            context["sent"] = True
    response = catalogue.render(request, template="prets/signup.html", context_overrides=context)
    if form.errors:
        response.status_code = 400
    return _private(response)


@limit("registration", method="POST")
def resend_link(request, catalogue):
    form = ResendLinkForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        services.resend_link(form.cleaned_data["email"])
        context["sent"] = True
    response = catalogue.render(request, template="prets/resend_link.html", context_overrides=context)
    if form.errors:
        response.status_code = 400
    return _private(response)


def _invalid_link(request, catalogue):
    response = catalogue.render(request, template="prets/link_invalid.html")
    response.status_code = 404
    return _private(response)


SPACE_ACTIONS = {
    "cancel": lambda borrower, pk: services.cancel_reservation(pk, borrower.pk),
    "leave": lambda borrower, pk: services.leave_queue(pk, borrower.pk),
    "renew": lambda borrower, pk: services.renew(pk, borrower.pk),
}
SPACE_DONE = {
    "cancel": _("La réservation est annulée."),
    "leave": _("Vous avez quitté la file d'attente."),
    "renew": _("Le prêt est prolongé."),
}


@limit("cancellation", method="POST")
def borrower_space(request, catalogue, token):
    try:
        borrower = read_token(token)
    except InvalidToken:
        return _invalid_link(request, catalogue)
    # Remembered on this device so that the thing pages' "Réserver" button knows who reserves.
    request.session[SESSION_KEY] = token
    context = {"borrower": borrower}
    if request.method == "POST":
        action, pk = request.POST.get("action"), request.POST.get("id", "")
        if action not in SPACE_ACTIONS or not pk.isdigit():
            context["error"] = _("Action inconnue.")
        else:
            try:
                SPACE_ACTIONS[action](borrower, int(pk))
            except services.LendingError as error:
                context["error"] = error.message
            else:
                context["done"] = SPACE_DONE[action]
    loans = borrower.loans.select_related("thing", "unit", "lending_point")
    holds = list(borrower.holds.filter(status__in=[HOLD_WAITING, HOLD_OFFERED]).select_related("thing"))
    context.update(
        current=[loan for loan in loans if loan.status in LOAN_ACTIVE],
        history=[loan for loan in loans if loan.status not in LOAN_ACTIVE][:50],
        holds=holds,
        notice=request.GET.get("reserve") == "1",
    )
    response = catalogue.render(request, template="prets/borrower_space.html", context_overrides=context)
    if context.get("error"):
        response.status_code = 400
    return _private(response)


def _session_borrower(request):
    try:
        return read_token(request.session.get(SESSION_KEY))
    except InvalidToken:
        return None


@limit("registration", method="POST")
def reserve(request, thing):
    borrower = _session_borrower(request)
    points = LendingPoint.objects.filter(units__thing=thing).distinct().prefetch_related("opening_hours")
    form = ReservationForm(request.POST or None, points=points)
    context = {"borrower": borrower, "form": form, "catalogue": thing.catalogue, "points": points}
    if request.method == "POST" and borrower is not None:
        try:
            if request.POST.get("action") == "queue":
                services.join_queue(borrower.pk, thing.pk)
                return redirect(f"{space_url(borrower, request)}?reserve=1")
            if form.is_valid():
                data = form.cleaned_data
                services.reserve(borrower.pk, thing.pk, data["point"].pk, data["start"], data["end"])
                return redirect(f"{space_url(borrower, request)}?reserve=1")
        except services.LendingError as error:
            form.add_error(None, error.message)
            context["error_code"] = error.code
    response = thing.render(request, template="prets/thing_reserve.html", context_overrides=context)
    if form.errors:
        response.status_code = 400
    return _private(response)


def seed_movement(request, variety):
    form = SeedMovementForm(request.POST or None)
    context = {"movement_form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_seed_movement(variety.pk, data["kind"], data["packets"], data["note"])
        except services.LendingError as error:
            form.add_error(None, error.message)
        else:
            return redirect(f"{variety.get_url(request)}?enregistre=1#carnet")
    context["recorded"] = request.GET.get("enregistre") == "1"
    variety.packets_in_stock = SeedVarietyPage.objects.filter(pk=variety.pk).values_list(
        "packets_in_stock", flat=True).first() or 0
    response = variety.render(request, context_overrides=context)
    if form.errors:
        response.status_code = 400
    return response


@require_GET
@limit("agenda_api")
def api_prets(request):
    """Things and seed varieties with their availability; no personal data."""
    things = ThingPage.objects.live().public().with_availability().order_by("title").prefetch_related(
        "units__lending_point")
    varieties = SeedVarietyPage.objects.live().public().select_related("taxon").order_by("title")
    data = {
        "things": [
            {
                "title": thing.title, "url": absolute_url(thing.get_url(request)), "category": thing.category,
                "units": thing.units_total, "available": max(thing.units_total - thing.units_busy, 0),
                "next_return": thing.next_return.isoformat() if thing.next_return else None,
                "waiting": thing.waiting_count, "loan_days": thing.loan_days, "deposit": str(thing.deposit),
                "requires_training": bool(thing.required_training_id),
                "lending_points": sorted({unit.lending_point.name for unit in thing.units.all()}),
            }
            for thing in things
        ],
        "varieties": [
            {
                "title": variety.title, "url": absolute_url(variety.get_url(request)),
                "scientific_name": variety.taxon.scientific_name if variety.taxon else None,
                "cd_nom": variety.taxon.cd_nom if variety.taxon else None,
                "packets": variety.packets_in_stock, "sowing_months": variety.sowing_months,
                "harvest_months": variety.harvest_months, "origin": variety.origin,
            }
            for variety in varieties
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def catalogue_page():
    return LendingCatalogPage.objects.live().first()


@require_GET
@limit("agenda_api")
def equipements_csv(request):
    """The biodiversithèque and its lending points as a SCDL « Équipements » file."""
    return equipements.csv_export(SiteSettings.for_request(request))
