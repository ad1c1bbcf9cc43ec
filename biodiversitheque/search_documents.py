"""Site search documents of the plain pages (privacy notice, accessibility, practical information)."""

from biodiversitheque.search.registry import PageProvider, register

from .models import StandardPage


@register
class StandardPageProvider(PageProvider):
    model = StandardPage
    kind = "page"
    boost = 0.5  # legal and practical pages should not outrank resources on shared words

    def entries(self, page):
        yield self.page_entry(page, text=[page.body])
