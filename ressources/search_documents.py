"""Site search documents of the resources: guides (with their PDFs), trainings, inventories, observed species."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from biodiversitheque.search.pdf import document_text
from biodiversitheque.search.registry import Entry, PageProvider, Provider, register
from biodiversitheque.search.services import reindex_many

from .models import GuideDocument, GuidePage, InventoryPage, Observation, Taxon, TrainingPage
from .models.species import themes_for_taxon
from .models.taxa import public_observation_filter, species_index


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


@dataclass
class SpeciesFacts:
    """What a species document says besides the taxon's own fields."""

    synonyms: list
    inventories: int
    url: str
    visible: bool | None = None  # None: not known, is_visible() asks the database


def species_facts(taxa):
    """{taxon pk: SpeciesFacts} in three queries whatever the number of taxa (an import touches hundreds)."""
    taxa = list(taxa)
    by_cd_nom = {taxon.cd_nom: taxon for taxon in taxa if taxon.cd_nom}
    # A document lists its taxon's synonyms: the taxa whose accepted name (cd_ref) is its cd_nom.
    members = {taxon.pk: {taxon.pk} for taxon in taxa}
    synonyms = {taxon.pk: [] for taxon in taxa}
    if by_cd_nom:
        for pk, name, cd_ref in Taxon.objects.filter(cd_ref__in=list(by_cd_nom)).values_list(
            "pk", "scientific_name", "cd_ref"
        ):  # in scientific_name order (the model's ordering), as one taxon's query lists them
            owner = by_cd_nom[cd_ref]
            members[owner.pk].add(pk)
            if name != owner.scientific_name:
                synonyms[owner.pk].append(name)
    member_ids = {pk for pks in members.values() for pk in pks}
    inventories_of = {}
    for taxon_id, inventory_id in (
        Observation.objects.filter(public_observation_filter(), taxon__in=member_ids)
        .values_list("taxon", "inventory").distinct().order_by()
    ):
        inventories_of.setdefault(taxon_id, set()).add(inventory_id)
    index_page = species_index()
    index_url = index_page.get_url() if index_page else ""
    return {
        taxon.pk: SpeciesFacts(
            synonyms=synonyms[taxon.pk],
            inventories=len(set().union(*(inventories_of.get(pk, ()) for pk in members[taxon.pk]))),
            url=index_page.url_for_taxon(taxon, page_url=index_url) if index_url else "",
        )
        for taxon in taxa
    }


def reindex_species(taxa):
    """reindex_many() of many taxa (an import's species), what their documents need read in a few queries
    for all of them instead of a few queries each."""
    taxa = [taxon for taxon in taxa if taxon.pk is not None]
    if not taxa:
        return
    visible = set(Taxon.objects.species_pages().filter(pk__in=[taxon.pk for taxon in taxa]).values_list("pk", flat=True))
    facts = species_facts([taxon for taxon in taxa if taxon.pk in visible])
    for taxon in taxa:
        taxon.species_facts = facts.get(taxon.pk) or SpeciesFacts(synonyms=[], inventories=0, url="")
        taxon.species_facts.visible = taxon.pk in visible
    try:
        reindex_many(taxa)
    finally:
        for taxon in taxa:
            del taxon.species_facts  # facts of this moment: a later reindex reads them again


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
        facts = getattr(taxon, "species_facts", None)
        if facts is not None and facts.visible is not None:
            return facts.visible
        return Taxon.objects.species_pages().filter(pk=taxon.pk).exists()

    def entries(self, taxon):
        facts = getattr(taxon, "species_facts", None) or species_facts([taxon])[taxon.pk]
        inventories = facts.inventories
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
            url=facts.url,
            summary=summary,
            # Found by its names, its group and statuses; not by the words "observée" or "inventaire".
            text=" ".join([str(s) for s in status if s] + facts.synonyms),
            index_summary=False,
            themes=themes_for_taxon(taxon),
            boost=self.boost,
        )
