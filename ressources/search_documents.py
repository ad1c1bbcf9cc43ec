"""Site search documents of the resources: guides (with their PDFs), trainings, inventories, observed species."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from biodiversitheque.search.pdf import document_text
from biodiversitheque.search.registry import Entry, PageProvider, Provider, register

from .models import GuideDocument, GuidePage, InventoryPage, Observation, Taxon, TrainingPage
from .models.species import themes_for_taxon
from .models.taxa import public_observation_filter


@register
class GuideProvider(PageProvider):
    model = GuidePage
    kind = "guide"
    kind_label = gettext_lazy("Guide citoyen")
    # Guides are what residents come for; long bodies must not sink them below a short page that shares a word.
    boost = 1.3
    related = {
        "wagtaildocs.Document": lambda document: GuidePage.objects.filter(documents__document=document).live(),
        "ressources.GuideDocument": lambda link: GuidePage.objects.filter(pk=link.guide_id),
    }
    prefetch = (*PageProvider.prefetch, Prefetch("documents", queryset=GuideDocument.objects.select_related("document")))

    def entries(self, page):
        materials = [item.value.get("name", "") for item in page.materials]
        documents = [f"{link.label} {document_text(link.document)}" for link in page.documents.all()]
        yield self.page_entry(
            page,
            text=[page.season, page.body, page.steps, page.town_rules, page.town_procedures, " ".join(materials), *documents],
        )


@register
class TrainingProvider(PageProvider):
    model = TrainingPage
    kind = "formation"
    kind_label = gettext_lazy("Formation")

    def entries(self, page):
        # "formation" is what residents type with the subject; the agenda's sessions say it through their kind.
        text = [_("Formation"), page.objectives, page.prerequisites, page.duration, page.modules, page.body]
        yield self.page_entry(page, text=text)


@register
class InventoryProvider(PageProvider):
    model = InventoryPage
    kind = "inventaire"
    kind_label = gettext_lazy("Inventaire naturaliste")
    related = {"ressources.Observation": lambda observation: InventoryPage.objects.filter(pk=observation.inventory_id)}

    def entries(self, page):
        names = [f"{vernacular} {scientific}" for scientific, vernacular in
                 taxa_of_inventory(page).values_list("scientific_name", "vernacular_name")]
        association = page.association.name if page.association_id else ""
        yield self.page_entry(
            page, text=[page.place, association, page.observers, page.protocol, page.body, "\n".join(names)]
        )


# One noun per group, for summaries ("Triton crêté (Triturus cristatus) : amphibien, espèce protégée…").
GROUP_NOUNS = {
    "oiseaux": _("oiseau"), "mammiferes": _("mammifère"), "amphibiens": _("amphibien"), "reptiles": _("reptile"),
    "poissons": _("poisson"), "insectes": _("insecte"), "arachnides": _("arachnide"), "mollusques": _("mollusque"),
    "crustaces": _("crustacé"), "plantes": _("plante"), "champignons": _("champignon"), "lichens": _("lichen"),
}


def taxa_of_inventory(inventory):
    return taxa_shown_for(Taxon.objects.filter(observations__inventory_id=inventory.pk).values("pk"))


def taxa_shown_for(taxon_ids):
    """These taxa and their accepted names: a synonym's observations count on the accepted name's page."""
    cd_refs = Taxon.objects.filter(pk__in=taxon_ids, cd_ref__isnull=False).values("cd_ref")
    return Taxon.objects.filter(Q(pk__in=taxon_ids) | Q(cd_nom__in=cd_refs))


@register
class TaxonProvider(Provider):
    """One document per species observed in a published inventory; the result is its species page."""

    model = Taxon
    kind = "espece"
    kind_label = gettext_lazy("Espèce")
    boost = 0.9  # just below pages at an equal score; a species title still outranks a body full of its name
    related = {
        "ressources.Observation": lambda observation: taxa_shown_for([observation.taxon_id]) if observation.taxon_id else [],
        # Publishing, unpublishing or deleting an inventory shows or hides its species.
        "ressources.InventoryPage": taxa_of_inventory,
    }

    def queryset(self):
        # Synonyms have no page of their own: their names are searched on the accepted name's document.
        return Taxon.objects.species_pages()

    def is_visible(self, taxon):
        return Taxon.objects.species_pages().filter(pk=taxon.pk).exists()

    def entries(self, taxon):
        names = Taxon.objects.filter(Q(pk=taxon.pk) | Q(cd_ref=taxon.cd_nom) if taxon.cd_nom else Q(pk=taxon.pk))
        synonyms = [name for name in names.values_list("scientific_name", flat=True) if name != taxon.scientific_name]
        inventories = InventoryPage.objects.filter(public_observation_filter("observations__"),
                                                   observations__taxon__in=names).distinct().count()
        status = [GROUP_NOUNS.get(taxon.group, "")]
        status += [label.lower() for label in taxon.statuses()]
        summary = ngettext(
            "%(name)s : %(status)s, observée dans %(count)s inventaire.",
            "%(name)s : %(status)s, observée dans %(count)s inventaires.",
            inventories,
        ) % {"name": taxon, "status": ", ".join(str(s) for s in status if s) or _("espèce"), "count": inventories}
        yield Entry(
            kind=self.kind,
            title=str(taxon),
            url=taxon.get_url() or "",
            summary=summary,
            # Found by its names, its group and statuses; not by the words "observée" or "inventaire".
            text=" ".join([str(s) for s in status if s] + synonyms),
            index_summary=False,
            themes=themes_for_taxon(taxon),
            boost=self.boost,
        )
