"""Site search documents of the catalogue's things and the grainothèque's varieties."""

from django.utils.translation import gettext_lazy as _

from biodiversitheque.search.registry import PageProvider, register


@register
class ThingProvider(PageProvider):
    model = "prets.ThingPage"
    kind = "objet"
    kind_label = _("Objet à emprunter")

    def entries(self, page):
        category = page.get_category_display() if hasattr(page, "get_category_display") else ""
        summary = " · ".join(part for part in (category, page.summary or "") if part)
        yield self.page_entry(page, summary=summary, text=[page.description, page.safety_notes])


@register
class SeedVarietyProvider(PageProvider):
    model = "prets.SeedVarietyPage"
    kind = "graines"
    kind_label = _("Graines")

    def entries(self, page):
        taxon = page.taxon
        names = [taxon.scientific_name, taxon.vernacular_name] if taxon else []
        yield self.page_entry(page, summary=page.summary or page.origin,
                              text=[*names, page.variety, page.origin, page.description])


@register
class LendingCatalogProvider(PageProvider):
    """The outilthèque and the grainothèque themselves: found by their own names, before any thing."""

    model = "prets.LendingCatalogPage"
    kind = "page"

    def entries(self, page):
        yield self.page_entry(page, text=[page.intro, page.rules])


@register
class SeedLibraryProvider(PageProvider):
    model = "prets.SeedLibraryPage"
    kind = "page"

    def entries(self, page):
        yield self.page_entry(page, text=[page.intro])
