from wagtail.models import Page, Site

from associations.models import AssociationIndexPage
from biodiversitheque.portal.models import HomePage
from biodiversitheque.portal.site_structure import ensure_site_structure
from ressources.models import ResourceIndexPage, SpeciesIndexPage


def test_replaces_welcome_page_and_is_idempotent(db):
    home = ensure_site_structure()
    again = ensure_site_structure()
    assert home.pk == again.pk
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert HomePage.objects.count() == 1
    assert ResourceIndexPage.objects.count() == 1
    assert AssociationIndexPage.objects.count() == 1
    assert SpeciesIndexPage.objects.count() == 1
    # Wagtail's "Welcome" page is gone: only root, home and the three indexes.
    assert Page.objects.count() == 5
