"""The lending desk (guichet) and the statistics, in the Wagtail admin; actions call the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .choices import CONDITION_CHOICES, LOAN_OUT, LOAN_RESERVED, UNIT_MAINTENANCE
from .models import Borrower, Loan, Unit
from .permissions import can_use_desk

SEARCH_LIMIT = 20


def _require_desk(request):
    if not can_use_desk(request.user):
        raise PermissionDenied


def _search(query):
    if not query:
        return [], []
    borrowers = Borrower.objects.filter(
        Q(name__icontains=query) | Q(email__icontains=query) | Q(card_number__iexact=query)
    ).order_by("name")[:SEARCH_LIMIT]
    units = Unit.objects.filter(Q(code__iexact=query) | Q(thing__title__icontains=query)).select_related(
        "thing", "lending_point").order_by("thing__title", "code")[:SEARCH_LIMIT]
    return list(borrowers), list(units)


def _run(request, function, *args, success):
    try:
        function(*args)
    except services.LendingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


def _int(value):
    return int(value) if (value or "").isdigit() else None


def desk(request):
    _require_desk(request)
    if request.method == "POST":
        action = request.POST.get("action")
        loan_id, unit_id, borrower_id = (_int(request.POST.get(name)) for name in ("loan", "unit", "borrower"))
        condition = request.POST.get("condition", "")
        if condition and condition not in dict(CONDITION_CHOICES):
            messages.error(request, _("État inconnu."))
        elif action == "check_out" and loan_id:
            _run(request, services.check_out, loan_id, success=_("Prêt enregistré."))
        elif action == "check_in" and loan_id:
            _run(request, services.check_in, loan_id, condition, request.POST.get("notes", "")[:1000],
                 request.POST.get("maintenance") == "1", success=_("Retour enregistré."))
        elif action == "lend" and unit_id and borrower_id:
            _run(request, services.lend_now, borrower_id, unit_id, success=_("Prêt enregistré."))
        elif action in ("maintenance_on", "maintenance_off") and unit_id:
            _run(request, services.set_maintenance, unit_id, action == "maintenance_on",
                 success=_("Exemplaire mis à jour."))
        else:
            messages.error(request, _("Action incomplète : choisissez un prêt, un exemplaire ou un emprunteur."))
        return redirect(request.get_full_path())
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()[:100]
    borrowers, units = _search(query)
    loans = Loan.objects.select_related("thing", "unit", "borrower", "lending_point")
    borrower = None
    if _int(request.GET.get("emprunteur")):
        borrower = Borrower.objects.filter(pk=int(request.GET["emprunteur"])).first()
    found_loans = []
    if query:
        found_loans = list(loans.filter(status__in=[LOAN_RESERVED, LOAN_OUT]).filter(
            Q(unit__code__iexact=query) | Q(thing__title__icontains=query) | Q(borrower__name__icontains=query)
            | Q(borrower__card_number__iexact=query)
        ).order_by("due_date")[:SEARCH_LIMIT])
    context = {
        "query": query, "borrowers": borrowers, "units": units, "borrower": borrower, "found_loans": found_loans,
        "borrower_loans": list(loans.filter(borrower=borrower, status__in=[LOAN_RESERVED, LOAN_OUT])) if borrower else [],
        "to_collect": list(loans.filter(status=LOAN_RESERVED, start_date__lte=today).order_by("start_date")[:100]),
        "due_today": list(loans.due_on(today).order_by("thing__title")[:100]),
        "overdue": list(loans.overdue(today).order_by("due_date")[:100]),
        "maintenance": list(Unit.objects.filter(status=UNIT_MAINTENANCE).select_related("thing")[:100]),
        "conditions": CONDITION_CHOICES, "today": today,
    }
    return TemplateResponse(request, "prets/admin/desk.html", context)


def statistics(request):
    _require_desk(request)
    return TemplateResponse(request, "prets/admin/statistics.html", {"stats": services.statistics()})
