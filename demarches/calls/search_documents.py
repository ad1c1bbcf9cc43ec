"""Calls for projects in the site search (applications, personal data, are never indexed)."""

from django.utils.translation import gettext_lazy as _

from biodiversitheque.search.registry import PageProvider, register

from .models import CallPage


@register
class CallProvider(PageProvider):
    model = CallPage
    kind = "appel"
    kind_label = _("Appel à projets")

    def entries(self, page):
        # "subvention", "appel à projets", "micro-subventions": words people type for any call.
        kind = page.get_kind_display()
        summary = " · ".join(part for part in (str(kind), page.summary or page.search_description or "") if part)
        yield self.page_entry(
            page, summary=summary,
            text=[str(kind), "subvention financement appel à projets", page.context, page.eligible_actions,
                  ", ".join(page.applicant_type_labels()), page.eligible_territories,
                  [criterion.title for criterion in page.criteria.all()]],
        )
