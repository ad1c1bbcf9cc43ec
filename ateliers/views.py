"""Thin views: registration form, personal link page, /api/agenda/ and the association feed."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Page, PageViewRestriction, Site

from associations.models import Association, AssociationIndexPage
from biodiversitheque.core import shell as page_shell
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


# What the registration page reads of its event when the page around the form is cached (see _frame).
EVENT_FIELDS = [
    "id", "title", "slug", "path", "depth", "url_path", "live", "last_published_at", "place_name", "capacity",
    "max_places_per_registration", "waiting_list_enabled", "registration_required", "registration_opens_days",
    "registration_closes_hours", "organiser_id",
]


def registration_page(request, page_path, occurrence_id):
    """An occurrence's registration URL (<event path>inscription/<id>/) answered without walking the page
    tree: one query reads the date, one checks view restrictions, the event's few fields come from the cache.
    Anything else (another site, an alias, a private page, a path that is not the event's, an unpublished
    event) goes through Wagtail's routing as before."""
    occurrence = Occurrence.objects.filter(pk=occurrence_id).first()
    event = _live_event(occurrence.event_id) if occurrence else None
    if event is None or not _is_served_at(event, request, page_path) or _restricted(event):
        # Looked up when needed: wagtail.views loads the page models, and ateliers' models import this module.
        wagtail_serve = import_string("wagtail.views.serve")
        return wagtail_serve(request, f"{page_path}inscription/{occurrence_id}/")
    occurrence.event = event
    return registration_form(request, event, occurrence)


def _live_event(event_id):
    """The event's EVENT_FIELDS, as a page instance (other fields load on access), or None if not live.

    Cached per generation of the page shell: publishing, unpublishing, moving or deleting a page starts a new
    one, and a live page's fields change only when it is published."""
    key = _cache_key("event", event_id)
    values = cache.get(key)
    if values is None:
        values = _event_model().objects.filter(pk=event_id).values_list(*EVENT_FIELDS).first()
        cache.set(key, values, PAGE_CACHE_TIMEOUT)
    if values is None or not values[EVENT_FIELDS.index("live")]:
        return None
    data = dict(zip(EVENT_FIELDS, values, strict=True))
    data["page_ptr_id"] = data["id"]  # the page's link to its wagtailcore_page row
    model = _event_model()
    names = [field.attname for field in model._meta.concrete_fields if field.attname in data]  # from_db's order
    return model.from_db(None, names, [data[name] for name in names])


def _event_model():
    # EventPage, without importing the module that imports this one.
    return Occurrence._meta.get_field("event").related_model


def _is_served_at(page, request, page_path):
    """Whether this site serves `page` at /<page_path>."""
    root_paths = Site.get_site_root_paths()  # cached by Wagtail
    if len(root_paths) == 1:  # one site (the usual case): no need to look the site up for this request
        return page.url_path == f"{root_paths[0].root_path}{page_path}"
    return page.get_url(request) == f"/{page_path}"


def _restricted(page):
    """Wagtail's get_view_restrictions().exists() in one plain query: the page and its ancestors, an alias
    standing for its source page."""
    steps = Page.steplen
    paths = [page.path[:end] for end in range(steps, len(page.path) + 1, steps)]
    sql = (
        f"SELECT 1 FROM {Page._meta.db_table} AS p JOIN {PageViewRestriction._meta.db_table} AS r "  # noqa: S608
        f"ON r.page_id = COALESCE(p.alias_of_id, p.id) WHERE p.path IN ({', '.join(['%s'] * len(paths))}) LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, paths)
        return cursor.fetchone() is not None


# Placeholders in cached HTML, replaced on each request (never a visitor's data in the cache).
BODY_MARK = mark_safe("<!-- registration-body -->")  # noqa: S308 - a constant
CSRF_MARK = "registration-csrf-token"
PAGE_CACHE_TIMEOUT = 3600


def _cacheable(request):
    """Anonymous visitors without pending messages all see the same page (the userbar and messages differ)."""
    return not request.user.is_authenticated and not len(messages.get_messages(request))


def _cache_key(*parts):
    digest = hashlib.sha256(repr((translation.get_language(), page_shell.VERSION.current(), *parts)).encode())
    return f"registration-page:{digest.hexdigest()[:40]}"


def _frame(request, event, occurrence, template, **context):
    """The page around the registration form (menu, breadcrumb, date, place), the same for everyone: cached,
    keyed by what it shows. Publishing any page or saving the site settings starts a new generation."""
    key = _cache_key(
        template, event.pk, event.title, event.place_name, event.url_path, event.last_published_at,
        occurrence.pk, occurrence.start, occurrence.end, sorted(context.items()),
    )
    cacheable = _cacheable(request)
    html = cache.get(key) if cacheable else None
    if html is None:
        event = _event_model().objects.get(pk=event.pk)  # every field, for the template
        response = event.render(
            request, template=template,
            context_overrides={"occurrence": occurrence, "form_body": BODY_MARK, **context},
        )
        html = response.render().content.decode()
        if cacheable:
            cache.set(key, html, PAGE_CACHE_TIMEOUT)
    return html


def _form_body(request, event, occurrence, context):
    """The seats left, the errors and the form. The blank form is cached per state of the date, with a
    placeholder for the CSRF token; a submitted one (values, errors) is rendered for its request."""
    body_context = {**context, "page": event}
    if context["form"].is_bound or context.get("link_resent") or not _cacheable(request):
        return render_to_string("ateliers/includes/registration_form_body.html", body_context, request)
    key = _cache_key(
        "body", event.pk, occurrence.pk, context["state"], occurrence.seats_left, context["to_waiting_list"],
        event.max_places_per_registration, event.waiting_list_enabled, occurrence.registration_opens_at,
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "ateliers/includes/registration_form_body.html", {**body_context, "csrf_token": CSRF_MARK}, request
        )
        cache.set(key, html, PAGE_CACHE_TIMEOUT)
    return html.replace(CSRF_MARK, get_token(request))


@limit("registration", method="POST")
def registration_form(request, event, occurrence):
    received = {value: key for key, value in RECEIVED.items()}.get(request.GET.get("envoyee"))
    if request.method == "GET" and received:
        html = _frame(request, event, occurrence, "ateliers/registration_received.html", status=received)
        return _private(HttpResponse(html))
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
                event=event,  # its rules as this page read them: no second read of the page
            )
        except services.RegistrationError as error:
            form.add_error(None, error.message)
            context["error_code"] = error.code
            occurrence.refresh_from_db()
        else:
            # The address the form was posted to is the date's registration URL (no site lookup needed).
            # A plain redirect: django.shortcuts.redirect would first try the path as a URL name.
            return HttpResponseRedirect(f"{request.path}?envoyee={RECEIVED[status]}")
    if form.errors:
        form.describe_errors()
    body = _form_body(request, event, occurrence, context)
    html = _frame(request, event, occurrence, "ateliers/registration_form.html")
    return HttpResponse(html.replace(BODY_MARK, body, 1), status=400 if form.errors else 200)


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
