"""Site search documents of the agenda's events (ignored until ateliers.EventPage exists)."""

from biodiversitheque.search.registry import PageProvider, register


@register
class EventProvider(PageProvider):
    model = "ateliers.EventPage"
    kind = "evenement"
    # Dated and many (a weekly walk repeats its words all year): a guide on the same subject comes first.
    boost = 0.6

    def entries(self, page):
        yield self.page_entry(page, text=[getattr(page, "description", None), getattr(page, "body", None)])
