from ateliers.models import OutgoingEmail
from biodiversitheque.search.services import rebuild
from demarches.permits import choices
from demo import permits as demo
from demarches.permits.models import GreeningCampaignPage, PermitRequest, SupportType
from demarches.permits.pdf import text_pdf


def test_demo_has_every_status_and_is_idempotent(home_page, settings):
    settings.BIODIVERSITHEQUE_DEMO_ACCOUNTS = True
    demo.load(lambda message: None)
    demo.load(lambda message: None)
    statuses = set(PermitRequest.objects.values_list("status", flat=True))
    assert statuses == {code for code, _label in choices.STATUS_CHOICES}
    assert PermitRequest.objects.count() == len(demo.REQUESTS)
    assert SupportType.objects.count() == 5 and GreeningCampaignPage.objects.live().count() == 1
    assert not OutgoingEmail.objects.filter(kind__startswith="permit_").exists()


def test_search_finds_campaign_and_support_types_never_requests(home_page, client):
    from biodiversitheque.search.models import SearchDocument

    demo.load(lambda message: None)
    rebuild(progress=lambda *args, **kwargs: None)
    titles = list(SearchDocument.objects.values_list("title", flat=True))
    assert "Permis de végétaliser" in titles
    assert any(title.startswith("Pied d'arbre") for title in titles)
    assert not any(reference in " ".join(titles) for reference in PermitRequest.objects.values_list("reference", flat=True))
    for query in ("permis", "végétaliser", "pied d'arbre"):
        response = client.get("/recherche/", {"q": query})
        assert "Permis de végétaliser" in response.content.decode() or "Pied d" in response.content.decode(), query


def test_pdf_is_well_formed_and_readable():
    import io

    from pypdf import PdfReader

    data = text_pdf(["Décision : accordée (été)"] + ["ligne"] * 80, title="PV-2027-0001")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert "Décision : accordée (été)" in reader.pages[0].extract_text()
