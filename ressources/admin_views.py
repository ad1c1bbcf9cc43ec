"""Admin import of observations: upload → preview (format, counts, first errors) → confirm."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .forms import ObservationImportForm
from .models import InventoryPage
from .observations import ObservationImportError, import_observations

SESSION_KEY = "ressources_observation_import"
PREVIEW_ERRORS = 20


def editable_inventory(request, page_id):
    page = get_object_or_404(InventoryPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def choose_inventory(request):
    inventories = [
        page for page in InventoryPage.objects.order_by("title") if page.permissions_for_user(request.user).can_edit()
    ]
    return TemplateResponse(request, "ressources/admin/import_choose.html", {"inventories": inventories})


def import_observations_view(request, page_id):
    page = editable_inventory(request, page_id)
    context = {"page": page, "list_url": reverse("wagtailsnippets_ressources_observation:list") + f"?inventory={page.pk}"}
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return confirm(request, page)
    form = ObservationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            report = import_observations(page, data, dry_run=True)
        except ObservationImportError as error:
            form.add_error("file", str(error))
        else:
            name = default_storage.save(f"imports-observations/{uuid.uuid4().hex}.csv", ContentFile(data))
            request.session[SESSION_KEY] = {
                "page": page.pk, "file": name, "skip_invalid": form.cleaned_data["skip_invalid"],
                "filename": form.cleaned_data["file"].name,
            }
            context.update({
                "report": report, "errors": report.error_lines()[:PREVIEW_ERRORS],
                "more_errors": max(report.error_count - PREVIEW_ERRORS, 0),
                "skip_invalid": form.cleaned_data["skip_invalid"], "filename": form.cleaned_data["file"].name,
            })
            return TemplateResponse(request, "ressources/admin/import_preview.html", context)
    context["form"] = form
    return TemplateResponse(request, "ressources/admin/import_upload.html", context)


def confirm(request, page):
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("page") != page.pk or not default_storage.exists(pending["file"]):
        messages.error(request, _("L'importation a expiré : déposez à nouveau le fichier."))
        return redirect("ressources_import_observations", page.pk)
    with default_storage.open(pending["file"]) as handle:
        data = handle.read()
    try:
        report = import_observations(page, data, skip_invalid=pending["skip_invalid"])
    except ObservationImportError as error:
        messages.error(request, str(error))
        return redirect("ressources_import_observations", page.pk)
    finally:
        default_storage.delete(pending["file"])
        request.session.pop(SESSION_KEY, None)
    if report.refused:
        messages.error(request, _("%(count)s ligne(s) en erreur : rien n'a été importé.") % {"count": report.error_count})
        return redirect("ressources_import_observations", page.pk)
    messages.success(request, _(
        "%(created)s observation(s) importée(s) dans « %(title)s » (%(present)s déjà présente(s), "
        "%(skipped)s ligne(s) invalide(s) ignorée(s))."
    ) % {"created": report.created, "title": page.title, "present": report.already_present,
         "skipped": report.error_count})
    if request.user.has_perm("ressources.view_observation"):
        return redirect(reverse("wagtailsnippets_ressources_observation:list") + f"?inventory={page.pk}")
    return redirect("wagtailadmin_pages:edit", page.pk)
