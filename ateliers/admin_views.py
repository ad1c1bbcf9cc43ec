"""Organiser screens (wagtail-modeladmin): every change that moves places goes through services.
And the event pages' creation view, made atomic."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.pages.create import CreateView as PageCreateView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail_modeladmin.views import CreateView, DeleteView, EditView

from . import services
from .admin_forms import RecurrencePreviewForm
from .forms import OccurrenceCancelForm
from .models import EventPage, Occurrence, Registration
from .recurrences import planned_starts


class RegistrationCreateView(CreateView):
    """Manual add by an organiser: same rules as the public form, without the registration window;
    when the date is full the person goes on the waiting list."""

    def get_edit_handler(self):
        panels = [FieldPanel("occurrence"), FieldPanel("name"), FieldPanel("email"), FieldPanel("places"),
                  FieldPanel("phone")]
        return ObjectList(panels).bind_to_model(Registration)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            registration = services.register(
                data["occurrence"].pk, name=data["name"], email=data["email"], places=data["places"],
                phone=data.get("phone", ""), by_organiser=True,
            )
        except services.RegistrationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if registration.status == Registration.CONFIRMED:
            messages.success(self.request, _("Inscription confirmée pour %(name)s.") % {"name": registration.name})
        else:
            messages.warning(
                self.request, _("Date complète : %(name)s est sur la liste d'attente.") % {"name": registration.name}
            )
        return redirect(self.get_success_url())


class RegistrationEditView(EditView):
    """Attendance and contact corrections only; places and status change through the services."""

    def get_edit_handler(self):
        panels = [FieldPanel("attended"), FieldPanel("name"), FieldPanel("phone")]
        return ObjectList(panels).bind_to_model(Registration)


class RegistrationDeleteView(DeleteView):
    """'Remove' cancels the registration (the row stays for the counts) and promotes the waiting list."""

    def confirmation_message(self):
        return _(
            "Retirer cette inscription ? Les places libérées seront proposées à la liste d'attente, "
            "dans l'ordre, et les personnes promues prévenues par e-mail."
        )

    def delete_instance(self):
        promoted = services.remove_registration(self.instance.pk)
        if promoted:
            messages.success(
                self.request,
                _("Promu(s) depuis la liste d'attente : %(names)s.") % {"names": ", ".join(r.name for r in promoted)},
            )


class OccurrenceEditView(EditView):
    def get_edit_handler(self):
        return ObjectList([FieldPanel("capacity_override")]).bind_to_model(Occurrence)

    def form_valid(self, form):
        try:
            promoted = services.change_capacity(self.instance.pk, form.cleaned_data["capacity_override"])
        except services.RegistrationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Jauge enregistrée. %(count)d inscription(s) promue(s) depuis la liste d'attente.")
            % {"count": len(promoted)},
        )
        return redirect(self.get_success_url())


@permission_required("ateliers.cancel_occurrence", raise_exception=True)
def cancel_occurrence_view(request, pk):
    occurrence = get_object_or_404(Occurrence.objects.select_related("event"), pk=pk)
    form = OccurrenceCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notified = services.cancel_occurrence(occurrence.pk, form.cleaned_data["reason"])
        except services.RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Date annulée ; %(count)d personne(s) prévenue(s) par e-mail.") % {"count": len(notified)},
            )
        return redirect("ateliers_occurrence_modeladmin_index")
    return TemplateResponse(
        request, "ateliers/admin/cancel_occurrence.html", {"occurrence": occurrence, "form": form}
    )


class AtomicPageCreateView(PageCreateView):
    """Create (and publish) a page in one transaction.

    Wagtail saves the draft, then its revision, then publishes, each on its own: a failure in between
    (a slug taken by a racing request such as the autosave, a publish hook refusing) left a draft
    behind and answered a 500. Here every step is rolled back and the failure is a form error.
    """

    def form_valid(self, form):
        try:
            with transaction.atomic():
                # Creations under one parent go one after the other, so the slug check below is reliable.
                list(Page.objects.select_for_update().filter(pk=self.parent_page.pk).values_list("pk"))
                slug = form.cleaned_data.get("slug")
                if slug and self.parent_page.get_children().filter(slug=slug).exists():
                    raise ValidationError({"slug": _(
                        "Le slug « %(slug)s » est déjà utilisé par une autre page à cet endroit (peut-être "
                        "l’enregistrement automatique de celle-ci) : choisissez-en un autre."
                    ) % {"slug": slug}})
                return super().form_valid(form)
        except ValidationError as error:
            self._forget_unsaved_page()
            errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
            for field, field_errors in errors.items():
                form.add_error(field if field in form.fields else None, field_errors)
            return self.form_invalid(form)

    def _forget_unsaved_page(self):
        # The rolled-back rows are gone; the instance must not look saved when the form is shown again.
        self.page.pk = self.page.id = None
        self.page.path = ""
        self.page.depth = None


PREVIEW_COUNT = 5


def _french_start(start):
    """« samedi 4 avril 2026, 10 h 00 » (« 1er » on the first of the month)."""
    day = "1er" if start.day == 1 else str(start.day)
    return f"{date_format(start, 'l')} {day} {date_format(start, 'F Y')}, {start.hour} h {start.minute:02d}"


@require_GET
def recurrence_preview_view(request):
    """The next dates the editor's rule will create once published, computed as publishing does."""
    if not PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change"]):
        return JsonResponse({"error": _("Vous n'avez pas le droit de modifier des activités.")}, status=403)
    form = RecurrencePreviewForm(request.GET)
    if not form.is_valid():
        messages_list = [error for errors in form.errors.values() for error in errors]
        return JsonResponse({"error": " ".join(messages_list)}, status=400)
    data = form.cleaned_data
    event = EventPage(
        recurrence=data["recurrence"], first_date=data["first_date"], start_time=data["start_time"],
        duration_minutes=data["duration_minutes"],
    )
    try:
        starts = planned_starts(event)[:PREVIEW_COUNT]
    except (ValueError, TypeError, OverflowError):
        # dateutil refuses some rules only when expanding them (e.g. a 31st of February).
        return JsonResponse({"error": _("Cette règle ne produit aucune date valide.")}, status=400)
    return JsonResponse({
        "dates": [
            {"start": start.isoformat(), "end": (start + event.duration).isoformat(), "label": _french_start(start)}
            for start in starts
        ],
    })
