"""axe-core (WCAG 2.1 A/AA + best practices): no violation of any impact on every public page type, and no
page-level horizontal scroll on a 320 px wide screen (WCAG 1.4.10, reflow)."""

from pprint import pformat

import pytest

from ateliers import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


@pytest.fixture
def every_page_type(small_site):
    """small_site plus what it lacks for a tour of every public page type: a training, a plain page, and an
    association with coordinates (directory and association maps)."""
    from biodiversitheque.core.models import StandardPage
    from tests.factories import TrainingPageFactory

    site = small_site
    site.training = TrainingPageFactory(parent=site.resources, title="Reconnaître les amphibiens", slug="amphibiens")
    site.plain = StandardPage(title="Déclaration d’accessibilité", slug="accessibilite")
    site.home.add_child(instance=site.plain)
    site.plain.save_revision().publish()
    site.association.latitude, site.association.longitude = 47.3968, 0.6891
    site.association.address = "2 chemin des Tilleuls"
    site.association.save()
    return site


def public_pages(site):
    occurrence_start = site.occurrence.start
    return {
        "accueil": site.home.url,
        "ressources": site.resources.url,
        "ressources-filtrees": f"{site.resources.url}?type=guide&theme={site.theme.slug}",
        "guide": site.guide.url,
        "inventaire": site.inventory.url,
        "formation": site.training.url,
        "especes": site.species_index.url,
        "especes-filtrees": site.species_index.url + "?group=amphibiens",
        "espece": site.species_url,
        "agenda-liste": site.agenda.url + "?kind=balade&places=on",
        "agenda-mois": site.agenda.url + f"mois/{occurrence_start.year}/{occurrence_start.month}/",
        "evenement": site.event.url,
        "inscription": site.occurrence.get_registration_url(),
        "annuaire": site.directory.url,
        "annuaire-filtre": site.directory.url + f"?theme={site.theme.slug}",
        "association": site.association.get_url(None),
        "recherche-resultats": "/recherche/?q=mare",
        "recherche-vide": "/recherche/?q=zzzzqqq",
        "page-simple": site.plain.url,
        "introuvable": "/cette-page-n-existe-pas/",
    }


def open_page(page, url):
    page.goto(url)
    # Maps draw themselves from a JSON request: wait for them, so that axe sees the drawn map.
    page.wait_for_load_state("networkidle")


@pytest.fixture
def offline(page):
    """Map tiles come from OpenStreetMap: answered with nothing, so the tests never wait on the network."""
    page.route("https://tile.openstreetmap.org/**", lambda route: route.fulfill(status=204, body=""))
    return page


def test_every_public_page_type_has_no_axe_violation(live_server, page, offline, axe, shot, every_page_type):
    failures = []
    for name, url in public_pages(every_page_type).items():
        open_page(page, live_server.url + url)
        shot(name)
        violations = axe()
        if violations:
            failures.append((name, url, violations))
    assert not failures, pformat(failures)


def test_maps_are_drawn_and_have_no_axe_violation(live_server, page, offline, axe, every_page_type):
    site = every_page_type
    for url in (site.inventory.url, site.species_url, site.directory.url, site.association.get_url(None)):
        open_page(page, live_server.url + url)
        assert page.locator(".leaflet-container").count() == 1, url
        violations = axe()
        assert not violations, pformat((url, violations))


def test_registration_pages_have_no_axe_violation(live_server, page, axe, shot, small_site):
    page.goto(live_server.url + small_site.occurrence.get_registration_url())
    shot("inscription-vide")
    assert axe() == []
    # With errors: an invalid e-mail and no consent (the form is novalidate: the server answers).
    page.get_by_label("Nom et prénom").fill("Léa Martin")
    page.get_by_label("Adresse e-mail").fill("pas-une-adresse")
    page.locator("form.agenda-form [type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".errorlist, [aria-invalid=true]").count() > 0
    shot("inscription-erreurs")
    assert axe() == []
    registration = services.register(small_site.occurrence.pk, name="Léa", email="lea@example.org", places=1)
    page.goto(live_server.url + small_site.occurrence.get_registration_url() + "?envoyee=confirmee")
    shot("demande-envoyee")
    assert axe() == []
    page.goto(live_server.url + registration.get_manage_url() + "?nouvelle=1")
    shot("confirmation")
    assert axe() == []


def test_no_page_scrolls_sideways_at_320_px(live_server, page, offline, shot, every_page_type):
    page.set_viewport_size(NARROW)
    too_wide = []
    for name, url in public_pages(every_page_type).items():
        open_page(page, live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            shot(f"trop-large-{name}")
            too_wide.append((name, url, width))
    assert not too_wide, pformat(too_wide)


def test_wide_tables_scroll_inside_a_named_focusable_region(live_server, page, offline, every_page_type):
    """At 320 px the inventory's tables scroll inside their own region, which a keyboard can reach."""
    page.set_viewport_size(NARROW)
    open_page(page, live_server.url + every_page_type.inventory.url)
    regions = page.locator(".table-wrapper")
    assert regions.count() >= 2
    for index in range(regions.count()):
        region = regions.nth(index)
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-labelledby") or region.get_attribute("aria-label")
        assert region.evaluate("element => element.getBoundingClientRect().right") <= NARROW["width"]
