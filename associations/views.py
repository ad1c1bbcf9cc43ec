"""Open-data downloads of the associations directory (thin: the records are built in opendata.py)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from biodiversitheque.core.ratelimits import limit

from . import opendata


@require_GET
@limit("agenda_api")
def associations_csv(request):
    return opendata.csv_export(request)


@require_GET
@limit("agenda_api")
def associations_json(request):
    return JsonResponse(opendata.json_export(request), json_dumps_params={"ensure_ascii": False})
