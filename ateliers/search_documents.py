"""Site search documents of the agenda's events (ignored until ateliers.EventPage exists)."""

from biodiversitheque.search.registry import PageProvider, register


@register
class EventProvider(PageProvider):
    model = "ateliers.EventPage"
    kind = "evenement"

    def entries(self, page):
        yield self.page_entry(page, text=[getattr(page, "description", None), getattr(page, "body", None)])
