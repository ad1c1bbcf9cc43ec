"""Thin views: registration form, personal link page, /api/agenda/ and the association feed."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from associations.models import Association, AssociationIndexPage
from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.pagination import paginate
from biodiversitheque.core.ratelimits import limit
from biodiversitheque.core.views import public_page

from . import services
from .forms import AgendaFilterForm, RegistrationForm
from .ical import calendar_response
from .models.association_events import AssociationEventsPage
from .models.occurrences import Occurrence, Registration
from .queries import filter_occurrences
from .tokens import InvalidToken

API_PAGE_SIZE = 50


def _private(response):
    """Pages showing one person's registration: never cached, indexed, or leaked via Referer."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" and the cancel POST fails CSRF.
    response["Referrer-Policy"] = "same-origin"
    return response


# The page after a request says "confirmed" or "waiting list", never whose: the same URL for a new
# registration and for an address already registered (which gets its personal link by e-mail).
RECEIVED = {Registration.CONFIRMED: "confirmee", Registration.WAITING: "attente"}


@limit("registration", method="POST")
def registration_form(request, event, occurrence):
    received = {value: key for key, value in RECEIVED.items()}.get(request.GET.get("envoyee"))
    if request.method == "GET" and received:
        return _private(event.render(
            request, template="ateliers/registration_received.html",
            context_overrides={"occurrence": occurrence, "status": received},
        ))
    # On a full date the form itself is the waiting-list request: no box to tick.
    to_waiting_list = occurrence.is_full and event.waiting_list_enabled
    form = RegistrationForm(request.POST or None, event=event, to_waiting_list=to_waiting_list)
    context = {
        "occurrence": occurrence, "form": form, "state": occurrence.registration_state(),
        "to_waiting_list": to_waiting_list,
    }
    if request.method == "POST" and request.POST.get("action") == "resend":
        email = request.POST.get("email", "").strip()
        existing = occurrence.registrations.filter(status__in=Registration.ACTIVE, email__iexact=email).first()
        if existing:
            services.resend_link(existing)
        context["link_resent"] = True
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            status = services.request_registration(
                occurrence.pk,
                name=data["name"],
                email=data["email"],
                places=data["places"],
                phone=data["phone"],
                wants_waiting_list=to_waiting_list or data.get("waiting_list", False),
            )
        except services.RegistrationError as error:
            form.add_error(None, error.message)
            context["error_code"] = error.code
            occurrence.refresh_from_db()
        else:
            return redirect(f"{occurrence.get_registration_url(request)}?envoyee={RECEIVED[status]}")
    if form.errors:
        form.describe_errors()
    response = event.render(request, template="ateliers/registration_form.html", context_overrides=context)
    if form.errors:
        response.status_code = 400
    return response


@limit("cancellation")
def manage_registration(request, agenda, token):
    try:
        registration = Registration.objects.from_token(token)
    except InvalidToken as error:
        response = agenda.render(
            request, template="ateliers/registration_invalid.html", context_overrides={"reason": error.code}
        )
        response.status_code = 410 if error.code == "expired" else 404
        return _private(response)
    context = {
        "registration": registration,
        "occurrence": registration.occurrence,
        "event": registration.occurrence.event,
        "can_cancel": registration.is_active and registration.occurrence.start > timezone.now(),
        "waiting_position": registration.waiting_position(),
    }
    # An e-mail link must never cancel by itself (link previews, a stray tap): the button leads to a
    # confirmation step, and only the POST of that step ("confirm_cancel") cancels.
    action = request.POST.get("action") if request.method == "POST" else None
    context["confirming"] = context["can_cancel"] and (
        request.GET.get("annuler") == "1" or action == "cancel"
    )
    if action == "confirm_cancel":
        try:
            services.cancel_registration(registration.pk)
        except services.RegistrationError as error:
            context["error"] = error.message
        else:
            context["just_cancelled"] = True
        registration.refresh_from_db()
        context["can_cancel"] = False if context.get("just_cancelled") else context["can_cancel"]
        context["waiting_position"] = registration.waiting_position()
    return _private(agenda.render(request, template="ateliers/registration_manage.html", context_overrides=context))


def occurrence_as_json(occurrence, request):
    event = occurrence.event
    organiser = event.organiser
    return {
        "title": event.title,
        "url": absolute_url(event.get_url(request)),
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "start": timezone.localtime(occurrence.start).isoformat(),
        "end": timezone.localtime(occurrence.end).isoformat(),
        "status": occurrence.status,
        "place": {
            "name": event.place_name,
            "address": event.address,
            "postal_code": event.postal_code,
            "city": event.city,
            "latitude": float(event.latitude) if event.latitude is not None else None,
            "longitude": float(event.longitude) if event.longitude is not None else None,
        },
        "capacity": occurrence.capacity if event.registration_required else None,
        "seats_left": occurrence.seats_left if event.registration_required else None,
        "waiting_list": occurrence.waiting_places,
        "registration_url": absolute_url(occurrence.get_registration_url(request))
        if event.registration_required
        else None,
        "organiser": {
            "name": event.organiser_name,
            "url": absolute_url(organiser.get_url(request)) if organiser and organiser.get_url(request)
            else None,
        },
        "themes": [theme.slug for theme in event.themes.all()],
        "audiences": [audience.slug for audience in event.audiences.all()],
    }


def _bad_request(message, errors=None):
    payload = {"error": message}
    if errors:
        payload["errors"] = errors
    return JsonResponse(payload, status=400, json_dumps_params={"ensure_ascii": False})


@require_GET
@limit("agenda_api")
def api_agenda(request):
    """Upcoming occurrences as JSON, with the calendar's filters as query parameters."""
    form = AgendaFilterForm(request.GET)
    if not form.is_valid():
        return _bad_request(_("Paramètre invalide : %(names)s.") % {"names": ", ".join(form.errors)}, form.api_errors())
    page_number = request.GET.get("page", "1")
    if not page_number.isdigit() or int(page_number) < 1:
        return _bad_request(_("Le paramètre « page » doit être un nombre entier positif."))
    occurrences = filter_occurrences(Occurrence.objects.public().upcoming(), form.cleaned_filters())
    page = paginate(request, occurrences.with_listing_data(), API_PAGE_SIZE)
    if int(page_number) > page.paginator.num_pages and page.paginator.count:
        return _bad_request(_("Cette page n'existe pas."))
    payload = {
        "count": page.paginator.count,
        "next": absolute_url(f"{request.path}?{_with_page(request, page.next_page_number())}") if page.has_next()
        else None,
        "previous": absolute_url(f"{request.path}?{_with_page(request, page.previous_page_number())}")
        if page.has_previous()
        else None,
        "results": [occurrence_as_json(occurrence, request) for occurrence in page.object_list],
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _with_page(request, number):
    query = request.GET.copy()
    query["page"] = number
    return query.urlencode()


@require_GET
def ical_feed(request, page_path):
    """`.ics` of the agenda page, of an event page, or of an association (/associations/<slug>/agenda.ics,
    or its folder under the agenda)."""
    page, view_kwargs = public_page(request, page_path)  # only a page's main view (no kwargs) has a feed
    if isinstance(page, AssociationIndexPage) and view_kwargs.get("slug"):
        return association_calendar(request, get_object_or_404(Association, slug=view_kwargs["slug"]))
    if isinstance(page, AssociationEventsPage) and page.association_id and not view_kwargs:
        return association_calendar(request, page.association)
    if hasattr(page, "ical_response") and not view_kwargs:
        return page.ical_response(request)
    raise Http404


def association_calendar(request, association):
    """The .ics of an association's dates (served by the associations directory page)."""
    occurrences = Occurrence.objects.public().filter(event__organiser=association).for_feed()
    return calendar_response(request, occurrences, name=association.name, filename=f"{association.slug}.ics")
