"""Site search: the campaign page and the support types (requests, personal data, are never indexed)."""

from biodiversitheque.search.registry import Entry, PageProvider, Provider, join_text, register

from .models import GreeningCampaignPage, SupportType

KIND = "page"
# Words residents type for this procedure, whatever the page's own wording.
KEYWORDS = "permis de végétaliser végétalisation végétaliser pied d'arbre jardinière démarche"


@register
class CampaignProvider(PageProvider):
    model = GreeningCampaignPage
    kind = KIND
    boost = 1.2

    def entries(self, page):
        supports = [support.name for support in SupportType.objects.all()]
        yield self.page_entry(page, text=[KEYWORDS, page.intro, *supports])



@register
class SupportTypeProvider(Provider):
    model = SupportType
    kind = KIND
    boost = 0.8

    def entries(self, support):
        campaign = GreeningCampaignPage.objects.live().public().first()
        url = campaign.get_url() if campaign else ""
        if not url:
            return
        # The procedure's words in the summary, not the title: the campaign page and the guide come first.
        yield Entry(kind=self.kind, title=support.name, url=f"{url}#support-{support.slug}",
                    summary=f"Permis de végétaliser : {support.rules[:280]}", text=join_text([support.rules, "permis de végétaliser"]),
                    boost=self.boost)
