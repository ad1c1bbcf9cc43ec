"""Open-standard exports of the agenda that are not iCalendar: the OpenAgenda v2 JSON."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from biodiversitheque.core.ratelimits import limit

from .openagenda import build_export


@require_GET
@limit("agenda_api")
def openagenda_export(request):
    """Upcoming dates (cancelled ones included) in OpenAgenda's v2 structure."""
    response = JsonResponse(build_export(request), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
