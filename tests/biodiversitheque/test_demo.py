"""load_demo: idempotent, complete, live, and demo accounts only where the settings allow them."""

import datetime
import math

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from associations.models import Association, AssociationIndexPage
from biodiversitheque.core.models import SiteSettings, StandardPage
from biodiversitheque.portal.models import HomePage
from ressources.models import GuidePage, InventoryPage, Observation, TrainingPage

# Marked django_db so that pytest-django orders these tests before the transactional (browser) ones, whose
# flush would wipe the rows the migrations seed.
pytestmark = pytest.mark.django_db

TOWN_CENTRE = (47.3941, 0.6848)
DEMO_USERNAMES = ["admin", "bibliothecaire", "amis-des-mares", "apis-sauvage"]


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "observations": Observation.objects.count(),
        "associations": Association.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo twice, once for the whole module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        first = snapshot()
        call_command("load_demo", verbosity=0)
        yield {"first": first, "second": snapshot()}
        transaction.set_rollback(True)


def test_second_run_changes_nothing(demo):
    assert demo["first"] == demo["second"]


def test_creates_the_planned_content(demo, db):
    assert GuidePage.objects.live().count() >= 12
    assert InventoryPage.objects.live().count() == 3
    assert TrainingPage.objects.live().count() == 4
    assert Observation.objects.count() >= 60
    assert Association.objects.count() == 10
    assert set(StandardPage.objects.live().values_list("slug", flat=True)) >= {
        "donnees-personnelles", "accessibilite", "mentions-legales",
    }
    assert all(association.logo_id for association in Association.objects.all())
    assert all(page.listing_image_id for page in GuidePage.objects.all())


def test_guides_are_complete(demo, db):
    for guide in GuidePage.objects.all():
        assert 4 <= len(guide.steps) <= 7, guide.slug
        assert 1 <= len(guide.town_procedures) <= 3, guide.slug
        assert guide.summary and guide.duration and guide.season and guide.cost, guide.slug
        assert len(guide.materials) >= 1, guide.slug
        assert guide.themes.exists() and guide.audiences.exists(), guide.slug
        assert "<strong>" in guide.town_rules, guide.slug
    guide = GuidePage.objects.get(slug="vegetaliser-son-pied-d-immeuble")
    assert guide.documents.get().document.title == "Formulaire de demande de permis de végétaliser"
    assert [link.guide.slug for link in guide.related_guide_links.all()] == [
        "semer-une-prairie-fleurie", "laisser-un-coin-sauvage", "recuperer-l-eau-de-pluie",
    ]
    fiche = GuidePage.objects.get(slug="faire-une-mare-naturelle").documents.first().document
    with fiche.open_file() as handle:
        text = handle.read().decode("utf-8")
    assert text.startswith("FAIRE UNE MARE NATURELLE") and "1. CHOISIR L'EMPLACEMENT" in text


def test_observations_are_plausible(demo, db):
    groups = dict(Observation.TAXON_GROUP_CHOICES)
    names_by_cd_nom = {}
    for observation in Observation.objects.all():
        assert observation.taxon_group in groups
        assert datetime.date(2024, 1, 1) <= observation.observed_on <= datetime.date(2025, 12, 31)
        assert _km_from_centre(observation.latitude, observation.longitude) < 5
        if observation.cd_nom:
            assert names_by_cd_nom.setdefault(observation.cd_nom, observation.scientific_name) == (
                observation.scientific_name
            )
    hedgehog = Observation.objects.filter(scientific_name="Erinaceus europaeus").first()
    assert hedgehog.cd_nom == 60015 and hedgehog.is_protected
    assert Observation.objects.filter(scientific_name="Reynoutria japonica", is_invasive=True).exists()
    assert not Observation.objects.filter(is_invasive=True, is_protected=True).exists()


def test_home_and_settings(demo, db, settings):
    home = HomePage.objects.get()
    assert 3 <= len(home.featured_resources()) <= 4
    assert home.intro and home.hero_image_id
    site_settings = SiteSettings.objects.get()
    assert site_settings.town_name == "Villeneuve-la-Verte"
    assert site_settings.privacy_page.slug == "donnees-personnelles"
    assert site_settings.accessibility_page.slug == "accessibilite"
    assert site_settings.legal_page.slug == "mentions-legales"
    privacy = StandardPage.objects.get(slug="donnees-personnelles")
    assert f"{settings.PERSONAL_DATA_RETENTION_DAYS} jours après la date" in str(privacy.body)
    assert "partiellement conforme" in str(StandardPage.objects.get(slug="accessibilite").body)


def test_every_demo_page_is_live_and_renders(demo, client):
    from ateliers.models import AssociationEventsPage
    from demo.accounts import ACCOUNTS

    # The demo association accounts' draft and submitted events are meant to be unpublished.
    unpublished = {spec[state][1] for spec in ACCOUNTS for state in ("draft", "submitted")}
    for page in Page.objects.filter(depth__gt=1).exclude(slug__in=unpublished).specific():
        assert page.live and not page.has_unpublished_changes, page.url_path
        expected = 302 if isinstance(page, AssociationEventsPage) else 200  # folders lead to the association
        assert client.get(page.url).status_code == expected, page.url


def test_demo_pages_have_no_inline_script_or_style(demo, client):
    """The public CSP has no 'unsafe-inline': every demo page, as served, must do without."""
    from tests.biodiversitheque.test_csp import INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT

    for page in Page.objects.filter(depth__gt=1).specific():
        html = client.get(page.url).content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT):
            assert not pattern.findall(html), (page.url, pattern.findall(html)[:3])


def test_admin_edit_views_accept_the_demo_data(demo, client):
    """The StreamField data written by the loader matches the block definitions the editors use."""
    client.force_login(get_user_model().objects.get(username="bibliothecaire"))
    for model in (HomePage, StandardPage, GuidePage, InventoryPage, TrainingPage):
        page = model.objects.first()
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200, model.__name__
    association = Association.objects.first()
    assert client.get(f"/admin/snippets/associations/association/edit/{association.pk}/").status_code == 200


def test_demo_accounts_can_log_in(demo, client):
    user_model = get_user_model()
    admin = user_model.objects.get(username="admin")
    assert admin.is_superuser
    librarian = user_model.objects.get(username="bibliothecaire")
    assert librarian.groups.filter(name="Bibliothécaires").exists()
    assert librarian.has_perm("wagtailadmin.access_admin")
    assert librarian.has_perm("associations.change_association")
    assert librarian.has_perm("sitesearch.view_unmatchedquery")
    assert librarian.has_perm("wagtailsearchpromotions.change_searchpromotion")
    guide = GuidePage.objects.first()
    assert guide.permissions_for_user(librarian).can_publish()
    assert client.login(username="bibliothecaire", password="biodiversite-demo")
    assert client.get("/admin/").status_code == 200


def test_a_changed_page_is_restored_with_one_revision(demo, db):
    guide = GuidePage.objects.get(slug="composter-ses-dechets")
    guide.title = "Titre modifié"
    guide.save_revision().publish()
    revisions = Revision.objects.count()
    call_command("load_demo", verbosity=0)
    assert GuidePage.objects.get(pk=guide.pk).title == "Composter ses déchets de cuisine et de jardin"
    assert Revision.objects.count() == revisions + 1


def test_no_demo_accounts_when_disabled(demo, db, settings):
    get_user_model().objects.filter(username__in=DEMO_USERNAMES).delete()
    settings.BIODIVERSITHEQUE_DEMO_ACCOUNTS = False
    call_command("load_demo", verbosity=0)
    assert not get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists()


def test_association_directory_lists_demo_associations(demo, client):
    directory = AssociationIndexPage.objects.get()
    response = client.get(directory.url)
    assert "Les Amis des Mares" in response.content.decode()
    response = client.get(directory.url + "les-amis-des-mares/")
    assert "Les Amis des Mares" in response.content.decode()


def _km_from_centre(latitude, longitude):
    lat0, lon0 = TOWN_CENTRE
    dy = (float(latitude) - lat0) * 111.2
    dx = (float(longitude) - lon0) * 111.2 * math.cos(math.radians(lat0))
    return math.hypot(dx, dy)


def test_site_is_named_for_the_town_and_follows_base_url(demo, client, settings):
    from wagtail.models import Site

    from demo import base
    from biodiversitheque.core.sites import site_name
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == "Biodiversithèque de Villeneuve-la-Verte" == site_name()
    assert (site.hostname, site.port) == ("testserver", 80)  # the test settings' BASE_URL
    settings.BASE_URL = "http://127.0.0.1:8080"
    lines = []
    base.load(lines.append)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8080)
    assert GuidePage.objects.live().first().full_url.startswith("http://127.0.0.1:8080/")
    assert any("http://127.0.0.1:8080/admin/" in line for line in lines)
    lines.clear()
    base.load(lines.append)  # idempotent
    assert (Site.objects.get().hostname, Site.objects.get().port) == ("127.0.0.1", 8080)
    client.force_login(get_user_model().objects.get(username="bibliothecaire"))
    dashboard = client.get("/admin/").content.decode()
    assert "Biodiversithèque de Villeneuve-la-Verte" in dashboard and "localhost" not in dashboard


def test_every_demo_address_is_ascii(demo, db):
    from ressources.models import Taxon

    slugs = [*Page.objects.values_list("slug", flat=True), *Taxon.objects.values_list("slug", flat=True)]
    assert [slug for slug in slugs if not slug.isascii()] == []
