"""Site search documents of the plain pages (privacy notice, accessibility, practical information) and settings."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from biodiversitheque.core.models import SiteSettings, StandardPage
from biodiversitheque.search.registry import Entry, PageProvider, Provider, join_text, register

from .models import OpenDataPage


@register
class StandardPageProvider(PageProvider):
    model = StandardPage
    kind = "page"
    kind_label = gettext_lazy("Page")
    boost = 0.5  # legal and practical pages should not outrank resources on shared words

    def entries(self, page):
        yield self.page_entry(page, text=[page.body])


@register
class SiteSettingsProvider(Provider):
    """Opening hours, address and contacts of the footer, findable as "horaires" or "adresse"."""

    model = SiteSettings
    kind = "page"
    kind_label = gettext_lazy("Page")
    boost = 0.5

    def queryset(self):
        return SiteSettings.objects.select_related("site__root_page").order_by("pk")

    def entries(self, site_settings):
        url = site_settings.site.root_page.get_url() if site_settings.site_id else ""
        text = [site_settings.address, site_settings.opening_hours, site_settings.phone, site_settings.email]
        if not url or not any(text):
            return
        yield Entry(
            kind=self.kind,
            title=_("Horaires d'ouverture et adresse de la biodiversithèque"),
            url=url,
            summary=" — ".join(part for part in (site_settings.opening_hours, site_settings.address) if part),
            text=join_text([site_settings.town_name, *text]),
            boost=self.boost,
        )


@register
class OpenDataPageProvider(PageProvider):
    """« Données ouvertes », findable by the names of its datasets (« annuaire », « équipements »…)."""

    model = OpenDataPage
    kind = "page"
    kind_label = gettext_lazy("Page")
    boost = 0.5

    def entries(self, page):
        yield self.page_entry(page, text=[page.intro, *(str(dataset.title) for dataset in page.datasets())])
