"""axe-core (WCAG 2.1 A/AA + best practices): no serious or critical violation on the public pages."""

import pytest

from ateliers import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_have_no_serious_violation(live_server, page, axe, shot, small_site):
    site = small_site
    base = live_server.url
    pages = {
        "accueil": site.home.url,
        "ressources-filtrees": f"{site.resources.url}?type=guide&theme={site.theme.slug}",
        "guide": site.guide.url,
        "inventaire": site.inventory.url,
        "especes": site.species_index.url + "?group=amphibiens",
        "espece": site.species_url,
        "agenda-liste": site.agenda.url + "?kind=balade&places=on",
        "agenda-mois": site.agenda.url + f"mois/{site.occurrence.start.year}/{site.occurrence.start.month}/",
        "evenement": site.event.url,
        "recherche-resultats": "/recherche/?q=mare",
        "recherche-vide": "/recherche/?q=zzzzqqq",
        "annuaire": site.directory.url + f"?theme={site.theme.slug}",
        "association": site.association.get_url(None),
    }
    failures = []
    for name, url in pages.items():
        page.goto(base + url)
        shot(name)
        violations = axe()
        if violations:
            failures.append((name, url, violations))
    assert failures == []


def test_registration_pages_have_no_serious_violation(live_server, page, axe, shot, small_site):
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
