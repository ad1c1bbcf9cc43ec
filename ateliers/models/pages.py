"""The agenda page (calendar, month view, archive, feed) and the event pages under it."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from recurrence.fields import RecurrenceField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from biodiversitheque.core.fields import latitude_field, longitude_field
from biodiversitheque.core.blocks import RICH_TEXT_FEATURES, body_blocks
from biodiversitheque.core.models import BasePage
from biodiversitheque.core.pagination import paginate

from ..admin_forms import EventPageForm
from .. import ical, queries, recurrences, structured_data, views
from ..forms import AgendaFilterForm
from .occurrences import Occurrence
from ..choices import EVENT_KIND_CHOICES
from .association_events import association_for_path
from ..widgets import AgendaRecurrenceWidget

OCCURRENCES_PER_PAGE = 20
# A month cell shows this many dates, then "+ N autres" links to the list of that day.
MONTH_ITEMS_PER_DAY = 3



class AgendaPage(RoutablePageMixin, BasePage):
    """The calendar: upcoming occurrences, a month view, the archive and the iCalendar feed."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["ateliers.EventPage", "ateliers.AssociationEventsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    # Questions the page answers about itself; views below stay thin.
    def occurrences(self):
        return Occurrence.objects.of_events(EventPage.objects.live().public().descendant_of(self))

    def upcoming(self):
        return self.occurrences().upcoming()

    def filtered(self, filters):
        return queries.filter_occurrences(self.upcoming(), filters)

    def month_url(self, year, month, request=None, query=""):
        """Absolute path of a month view: reverse_subpage alone gives a path relative to this page."""
        path = self.get_url(request) + self.reverse_subpage("month", args=[year, month])
        return f"{path}?{query}" if query else path

    def _filter_form(self, request):
        return AgendaFilterForm(request.GET or None)

    @path("")
    def calendar(self, request):
        form = self._filter_form(request)
        filters = form.cleaned_filters()
        occurrences = self.filtered(filters).with_listing_data()
        today = timezone.localdate()
        return self.render(
            request,
            context_overrides={
                "filter_form": form,
                "active_filters": any(value not in (None, False) for value in filters.values()),
                "page_obj": paginate(request, occurrences, OCCURRENCES_PER_PAGE),
                "month_url": self.month_url(today.year, today.month, request),
            },
        )

    @path("mois/<int:year>/<int:month>/", name="month")
    def month(self, request, year, month):
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise Http404
        form = self._filter_form(request)
        filters = form.cleaned_filters()
        filters["date_from"] = filters["date_to"] = None
        # The month is the date range here: no date fields in this form.
        del form.fields["date_from"], form.fields["date_to"]
        first = datetime.date(year, month, 1)
        next_month = (first + datetime.timedelta(days=32)).replace(day=1)
        previous_month = (first - datetime.timedelta(days=1)).replace(day=1)

        # Ranked on the narrow rows first (id and day total), then the shown dates read with their cards'
        # data: ranking the wide rows (descriptions, joined pages) cost more than the page at 50x content.
        day_totals = dict(
            queries.filter_occurrences(self.occurrences(), filters)
            .in_dates(first, next_month)
            .first_per_day(MONTH_ITEMS_PER_DAY, first, next_month)
            .values_list("pk", "day_total")
        )
        occurrences = list(Occurrence.objects.filter(pk__in=day_totals).order_by("start", "pk").with_listing_data())
        for occurrence in occurrences:
            occurrence.day_total = day_totals[occurrence.pk]
        query = request.GET.copy()
        query.pop("page", None)
        nav_query = query.copy()
        for name in ("date_from", "date_to"):
            nav_query.pop(name, None)
        return self.render(
            request,
            template="ateliers/agenda_month.html",
            context_overrides={
                "filter_form": form,
                "active_filters": any(value not in (None, False) for value in filters.values()),
                "month_start": first,
                "weeks": queries.month_grid(first, occurrences, self.get_url(request), query),
                "has_occurrences": bool(occurrences),
                # The filters follow from month to month.
                "previous_url": self.month_url(
                    previous_month.year, previous_month.month, request, nav_query.urlencode()
                ),
                "next_url": self.month_url(next_month.year, next_month.month, request, nav_query.urlencode()),
            },
        )

    @path("archives/", name="archive")
    def archive(self, request):
        occurrences = self.occurrences().past().with_listing_data()
        return self.render(
            request,
            template="ateliers/agenda_archive.html",
            context_overrides={"page_obj": paginate(request, occurrences, OCCURRENCES_PER_PAGE)},
        )

    def ical_response(self, request):
        # The whole calendar: upcoming dates of the next WHOLE_FEED_DAYS only (see ateliers/ical.py).
        occurrences = self.occurrences().for_feed(since_days=0, until_days=ical.WHOLE_FEED_DAYS)
        return ical.calendar_response(request, occurrences, name=self.title, filename="agenda.ics", limit=ical.WHOLE_FEED_MAX)

    @path("inscription/<str:token>/", name="registration")
    def registration(self, request, token):
        return views.manage_registration(request, self, token)


class EventPage(RoutablePageMixin, BasePage):
    """An activity with its rule of dates; each date is an Occurrence row with its own registrations."""

    kind = models.CharField(_("type d'activité"), max_length=20, choices=EVENT_KIND_CHOICES, default="atelier")
    description = StreamField(body_blocks(), verbose_name=_("description"), blank=True)

    place_name = models.CharField(
        _("lieu de rendez-vous"), max_length=200, help_text=_("Par exemple : « Parking du parc des Tilleuls »")
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    organiser = models.ForeignKey(
        "associations.Association",
        verbose_name=_("organisateur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Laisser vide si la biodiversithèque organise elle-même."),
    )
    training = models.ForeignKey(
        "ressources.TrainingPage",
        verbose_name=_("formation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        help_text=_("Si ces dates sont les sessions d'une formation, la fiche de la formation les affiche."),
    )

    accessibility = models.TextField(
        _("accessibilité"), blank=True,
        help_text=_("Par exemple : « Chemin accessible en fauteuil », « Boucle de 3 km avec une montée »."),
    )
    equipment = models.TextField(_("matériel à prévoir"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True)
    is_free = models.BooleanField(_("gratuit"), default=True)
    price = models.CharField(
        _("tarif"), max_length=120, blank=True, help_text=_("Si l'activité est payante : « 5 €, 3 € pour les adhérents »")
    )

    first_date = models.DateField(_("première date"))
    start_time = models.TimeField(_("heure de début"), default=datetime.time(10, 0))
    duration_minutes = models.PositiveIntegerField(
        _("durée (minutes)"), default=120, validators=[MinValueValidator(5), MaxValueValidator(24 * 60 * 7)]
    )
    recurrence = RecurrenceField(
        verbose_name=_("répétition"),
        blank=True,
        include_dtstart=False,
        help_text=_(
            "Laisser vide pour une date unique. Les dates exclues retirent une date précise ; "
            "les dates déjà passées ne sont jamais modifiées."
        ),
    )

    registration_required = models.BooleanField(_("inscription nécessaire"), default=True)
    capacity = models.PositiveIntegerField(
        _("nombre de places"), default=15, validators=[MinValueValidator(1)],
        help_text=_("Par date ; une date peut avoir sa propre jauge dans « Inscriptions »."),
    )
    max_places_per_registration = models.PositiveSmallIntegerField(
        _("places maximum par inscription"), default=4, validators=[MinValueValidator(1)]
    )
    waiting_list_enabled = models.BooleanField(_("liste d'attente"), default=True)
    registration_opens_days = models.PositiveSmallIntegerField(
        _("ouverture des inscriptions (jours avant)"), null=True, blank=True, default=60,
        help_text=_("Laisser vide pour ouvrir les inscriptions dès la publication."),
    )
    registration_closes_hours = models.PositiveSmallIntegerField(
        _("clôture des inscriptions (heures avant)"), default=2
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("kind"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("first_date"), FieldPanel("start_time"), FieldPanel("duration_minutes")]),
                # Same widget as django-recurrence's, plus its French JavaScript catalogue.
                FieldPanel("recurrence", widget=AgendaRecurrenceWidget),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place_name"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Lieu"),
        ),
        MultiFieldPanel(
            [FieldPanel("organiser"), PageChooserPanel("training", "ressources.TrainingPage")],
            heading=_("Organisation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("accessibility"),
                FieldPanel("equipment"),
                FieldRowPanel([FieldPanel("minimum_age"), FieldPanel("is_free"), FieldPanel("price")]),
            ],
            heading=_("Informations pratiques"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_required"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("max_places_per_registration")]),
                FieldPanel("waiting_list_enabled"),
                FieldRowPanel([FieldPanel("registration_opens_days"), FieldPanel("registration_closes_hours")]),
            ],
            heading=_("Inscriptions"),
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("description"),
        index.SearchField("place_name"),
        index.FilterField("kind"),
    ]
    # Under an association's folder (its members' space) or directly under the agenda (the biodiversithèque).
    parent_page_types = ["ateliers.AgendaPage", "ateliers.AssociationEventsPage"]
    subpage_types = []
    base_form_class = EventPageForm

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")

    def save(self, *args, **kwargs):
        # An event inside an association's folder is always organised by that association,
        # whatever the form (or a crafted POST, or a move) says.
        if self.path:
            association_id = association_for_path(self.path)
            if association_id is not None:
                self.organiser_id = association_id
        return super().save(*args, **kwargs)

    @property
    def duration(self):
        return datetime.timedelta(minutes=self.duration_minutes)

    @property
    def organiser_name(self):
        return self.organiser.name if self.organiser_id else settings.WAGTAIL_SITE_NAME

    def local_starts(self, until):
        """Local (Europe/Paris) start datetimes of the rule from first_date to `until` (a date)."""
        return recurrences.local_starts(self.recurrence, self.first_date, self.start_time, until)

    def upcoming_occurrences(self):
        return self.occurrences.public().upcoming()

    @path("")
    def detail(self, request):
        occurrences = list(self.occurrences.filter(end__gte=timezone.now()).order_by("start")[:50])
        return self.render(
            request,
            context_overrides={"upcoming": occurrences, "json_ld": self.json_ld(request, occurrences)},
        )

    def ical_response(self, request):
        return ical.calendar_response(
            request, self.occurrences.for_feed(), name=self.title, filename=f"{self.slug}.ics"
        )

    @path("inscription/<int:occurrence_id>/", name="register")
    def register(self, request, occurrence_id):
        occurrence = get_object_or_404(self.occurrences.select_related("event"), pk=occurrence_id)
        return views.registration_form(request, self, occurrence)

    def json_ld(self, request, occurrences):
        """schema.org Event objects for the next dates (no personal data)."""
        return structured_data.event_json_ld(self, request, occurrences)
