"""Site search documents of the resources: guides (with their PDFs), trainings, inventories and their species."""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from biodiversitheque.search.pdf import document_text
from biodiversitheque.search.registry import Entry, PageProvider, register

from .models import GuideDocument, GuidePage, InventoryPage, Observation, TrainingPage


@register
class GuideProvider(PageProvider):
    model = GuidePage
    kind = "guide"
    related = {
        "wagtaildocs.Document": lambda document: GuidePage.objects.filter(documents__document=document).live(),
        "ressources.GuideDocument": lambda link: GuidePage.objects.filter(pk=link.guide_id),
    }

    def entries(self, page):
        materials = [item.value.get("name", "") for item in page.materials]
        documents = [
            f"{link.label} {document_text(link.document)}" for link in GuideDocument.objects.filter(guide=page).select_related("document")
        ]
        yield self.page_entry(
            page,
            text=[page.season, page.body, page.steps, page.town_rules, page.town_procedures, " ".join(materials), *documents],
        )


@register
class TrainingProvider(PageProvider):
    model = TrainingPage
    kind = "formation"

    def entries(self, page):
        yield self.page_entry(page, text=[page.objectives, page.prerequisites, page.duration, page.modules, page.body])


def species_anchor(row):
    return f"espece-{row['cd_nom'] or slugify(row['scientific_name'])}"


@register
class InventoryProvider(PageProvider):
    model = InventoryPage
    kind = "inventaire"
    related = {"ressources.Observation": lambda observation: InventoryPage.objects.filter(pk=observation.inventory_id)}

    def entries(self, page):
        species = list(page.species())
        names = [f"{row['vernacular_name']} {row['scientific_name']}" for row in species]
        association = page.association.name if page.association_id else ""
        inventory = self.page_entry(
            page, text=[page.place, association, page.observers, page.protocol, page.body, "\n".join(names)]
        )
        yield inventory
        groups = dict(Observation.TAXON_GROUP_CHOICES)
        for row in species:
            title = row["vernacular_name"] or row["scientific_name"]
            if row["vernacular_name"]:
                title = f"{row['vernacular_name']} ({row['scientific_name']})"
            status = [str(groups.get(row["taxon_group"], ""))]
            if row["is_protected"]:
                status.append(_("espèce protégée"))
            if row["is_invasive"]:
                status.append(_("espèce exotique envahissante"))
            yield Entry(
                kind="espece",
                key=str(row["cd_nom"] or slugify(row["scientific_name"]))[:100],
                title=title,
                url=f"{inventory.url}#{species_anchor(row)}",
                summary=_("%(status)s, observée %(count)s fois dans l'inventaire « %(inventory)s ».")
                % {"status": ", ".join(s for s in status if s), "count": row["observation_count"], "inventory": page.title},
                text=f"{row['scientific_name']} {row['vernacular_name']}",
                index_summary=False,  # found by its names, not by the words of its inventory's title
                themes=inventory.themes,
                audiences=inventory.audiences,
                boost=0.8,
            )
