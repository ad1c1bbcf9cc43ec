"""The agenda's open datasets, for the catalogue (registered in AteliersConfig.ready)."""

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext as _

from biodiversitheque.core.opendata import Dataset, Distribution

from .models import AgendaPage

RFC_5545 = "https://www.rfc-editor.org/rfc/rfc5545"
OPENAGENDA_V2 = "https://developers.openagenda.com/"
KEYWORDS = ("agenda", "ateliers", "balades nature", "biodiversité")


def agenda_datasets():
    agenda = AgendaPage.objects.live().public().first()
    if agenda is None or not agenda.url:
        return []
    publisher = settings.WAGTAIL_SITE_NAME
    # The agenda changes when it or one of its events is published.
    modified = agenda.get_descendants(inclusive=True).live().aggregate(last=Max("last_published_at"))["last"]
    return [
        Dataset(
            key="agenda",
            title=_("Agenda des activités de la %(name)s") % {"name": publisher},
            description=_(
                "Les dates à venir des ateliers, balades, formations et chantiers : lieu, horaires, places "
                "restantes, lien d'inscription, organisateur (aucune donnée personnelle)."
            ),
            landing_path=agenda.url,
            modified=modified,
            keywords=KEYWORDS,
            distributions=[
                Distribution(
                    title=_("Calendrier iCalendar (abonnement)"), path=f"{agenda.url}agenda.ics",
                    media_type="text/calendar", conforms_to=RFC_5545,
                ),
                Distribution(
                    title=_("API JSON des dates à venir"), path="/api/agenda/",
                    media_type="application/json",
                ),
                Distribution(
                    title=_("Export au format OpenAgenda v2"), path="/api/agenda/openagenda.json",
                    media_type="application/json", conforms_to=OPENAGENDA_V2,
                ),
            ],
        )
    ]
