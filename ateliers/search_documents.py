"""Site search documents of the agenda's events."""

from django.utils.translation import gettext_lazy as _

from biodiversitheque.search.registry import PageProvider, register

from .models import EventPage


def events_of_association(association):
    return EventPage.objects.filter(organiser=association)


@register
class EventProvider(PageProvider):
    model = "ateliers.EventPage"
    kind = "evenement"
    kind_label = _("Événement")
    # Dated and many (a weekly walk repeats its words all year): a guide on the same subject comes first.
    boost = 0.6
    # Renaming an association renames the organiser of its events.
    related = {"associations.Association": events_of_association}

    def entries(self, page):
        # Residents look for "balade", a place or an association's name as much as for a subject.
        organiser = page.organiser.name if getattr(page, "organiser_id", None) else ""
        where = [getattr(page, name, "") for name in ("place_name", "address", "city")]
        kind = page.get_kind_display() if hasattr(page, "get_kind_display") else ""
        # The kind weighs as the summary: "balade" names the walks first, not every text that mentions one.
        summary = " · ".join(part for part in (kind, page.summary or page.search_description or "") if part)
        yield self.page_entry(
            page,
            summary=summary,
            text=[*where, organiser, getattr(page, "description", None), getattr(page, "body", None)],
        )
