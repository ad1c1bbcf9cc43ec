"""Thin public views: the campaign page, the request form, the applicant's page, /api/permis/."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from biodiversitheque.core.ratelimits import limit
from ressources.maps import map_tiles

from . import choices, exports, services
from .forms import AnswerForm, PermitRequestForm, PhotosForm
from .models import Commune
from .stats import public_statistics
from .tokens import InvalidToken, make_token, read_token


def _private(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _commune_filter(request):
    """(commune or None, error message or "") from ?commune=<slug>."""
    slug = request.GET.get("commune", "")
    if not slug:
        return None, ""
    commune = Commune.objects.filter(slug=slug).first()
    return commune, "" if commune else _("Commune inconnue : « %(slug)s ».") % {"slug": slug[:60]}


def campaign(request, page):
    commune, error = _commune_filter(request)
    permits = page.granted_permits(commune)
    context = {
        "palette": page.palette(), "support_types": page.support_types(), "charter": page.charter,
        "is_open": page.is_open(), "reopens_on": page.reopens_on(), "communes": Commune.objects.all(),
        "commune": commune, "commune_error": error, "permits": permits[:200], "permit_count": permits.count(),
        "statistics": public_statistics(permits), "map_tiles": map_tiles(),
    }
    response = page.render(request, context_overrides=context)
    if error:
        response.status_code = 400
    return response


@limit("registration", method="POST")
def request_form(request, page):
    if not page.is_open():
        response = page.render(request, template="demarches/permits/request_closed.html",
                               context_overrides={"reopens_on": page.reopens_on()})
        response.status_code = 403 if request.method == "POST" else 200
        return response
    form = PermitRequestForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            permit, _created = services.submit_request(page, data, data["photos"], data["submission_key"])
        except services.PermitError as failure:
            error = failure.message
        else:
            return redirect(page.url + page.reverse_subpage("follow", args=[make_token(permit)]) + "?envoyee=1")
    response = page.render(request, template="demarches/permits/request_form.html", context_overrides={
        "form": form, "error": error, "charter": page.charter, "support_types": page.support_types(),
        "map_tiles": map_tiles(), "communes": Commune.objects.all(),
    })
    if form.errors or error:
        response.status_code = 400
    return _private(response)


def _invalid_link(request, page):
    response = page.render(request, template="demarches/permits/follow_invalid.html")
    response.status_code = 404
    return _private(response)


@limit("cancellation")
def follow(request, page, token):
    try:
        permit = read_token(token)
    except InvalidToken:
        return _invalid_link(request, page)
    action = request.POST.get("action") if request.method == "POST" else None
    answer_form = AnswerForm(request.POST if action == "answer" else None, request.FILES if action == "answer" else None)
    photos_form = PhotosForm(request.POST if action == "photos" else None, request.FILES if action == "photos" else None)
    message, error = "", ""
    try:
        if action == "answer" and answer_form.is_valid():
            services.answer_information(permit.pk, answer_form.cleaned_data["answer"], answer_form.cleaned_data["photos"])
            message = _("Merci : votre réponse est transmise aux services.")
        elif action == "photos" and photos_form.is_valid():
            services.add_photos(permit.pk, photos_form.cleaned_data["photos"])
            message = _("Photos ajoutées.")
        elif action == "renew":
            services.renew(permit.pk)
            message = _("Votre permis est renouvelé.")
        elif action not in (None, "answer", "photos"):
            error = _("Action inconnue.")
    except services.PermitError as failure:
        error = failure.message
    if message:
        return redirect(request.path + "?fait=1")
    permit.refresh_from_db()
    renewal_open = (permit.status in choices.VALID_STATUSES and permit.valid_until is not None
                    and (permit.valid_until - timezone.localdate()).days <= choices.renewal_notice_days())
    response = page.render(request, template="demarches/permits/follow.html", context_overrides={
        "permit": permit, "events": permit.events.filter(public=True), "photos": permit.photos.all(),
        "answer_form": answer_form, "photos_form": photos_form, "error": error,
        "just_sent": request.GET.get("envoyee") == "1", "done": request.GET.get("fait") == "1",
        "renewal_open": renewal_open, "can_add_photos": permit.status in choices.OPEN_STATUSES
        and permit.photos.count() < choices.MAX_PHOTOS, "max_photos": choices.MAX_PHOTOS,
    })
    if error or answer_form.errors or photos_form.errors:
        response.status_code = 400
    return _private(response)


def follow_photo(request, page, token, photo_id):
    try:
        permit = read_token(token)
    except InvalidToken:
        raise Http404(_("Lien invalide.")) from None
    photo = permit.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404(_("Photo introuvable."))
    return _private(FileResponse(photo.file.open("rb"), content_type=photo.content_type))


def _api_commune(request):
    commune, error = _commune_filter(request)
    if error:
        return None, JsonResponse({"errors": {"commune": [error]}}, status=400)
    return commune, None


@require_GET
@limit("agenda_api")
def api_permits(request):
    commune, failure = _api_commune(request)
    if failure:
        return failure
    response = JsonResponse(exports.geojson(exports.public_permits(commune)))
    response["Content-Type"] = "application/geo+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@limit("agenda_api")
def api_permits_csv(request):
    commune, failure = _api_commune(request)
    if failure:
        return failure
    return exports.csv_export(exports.public_permits(commune))

