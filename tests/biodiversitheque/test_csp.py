"""Public pages carry no inline script or style: the CSP (no 'unsafe-inline') would block them."""

import re

import pytest

from ateliers import services

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def public_urls(site, registration):
    return [
        site.home.url, site.resources.url, f"{site.resources.url}?type=guide", site.guide.url, site.inventory.url,
        site.species_index.url, site.species_url, site.agenda.url,
        site.agenda.url + f"mois/{site.occurrence.start.year}/{site.occurrence.start.month}/",
        site.agenda.url + "archives/", site.event.url, site.occurrence.get_registration_url(),
        site.occurrence.get_registration_url() + "?envoyee=confirmee",
        registration.get_manage_url() + "?nouvelle=1", site.agenda.url + "inscription/1-faux/",
        "/recherche/?q=mare", "/recherche/?q=zzzz", site.directory.url, site.association.get_url(None),
        "/page-qui-n-existe-pas/",
    ]


def test_public_pages_have_no_inline_script_or_style(client, small_site):
    registration = services.register(small_site.occurrence.pk, name="Léa", email="lea@example.org", places=1)
    for url in public_urls(small_site, registration):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        html = response.content.decode()
        assert "Content-Security-Policy" in response, url
        assert not INLINE_SCRIPT.findall(html), (url, INLINE_SCRIPT.findall(html))
        assert not STYLE_ATTRIBUTE.findall(html), (url, STYLE_ATTRIBUTE.findall(html)[:3])
        assert not STYLE_ELEMENT.findall(html), url
