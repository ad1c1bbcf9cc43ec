"""Agenda interface: month navigation, personal link confirmation, full dates, form accessibility."""

import re
from html import unescape

from ateliers import services
from ateliers.models import Registration

from .conftest import reload

FORM = {"name": "Léa Martin", "email": "lea@example.org", "places": "2", "phone": "", "consent": "on"}


def links(html, rel):
    return unescape(re.search(rf'<a href="([^"]*)" rel="{rel}"', html).group(1))


def test_month_navigation_links_are_absolute(client, agenda, make_event):
    response = client.get(f"{agenda.url}mois/2026/12/", {"kind": "balade"})
    html = response.content.decode()
    previous, following = links(html, "prev"), links(html, "next")
    assert previous == f"{agenda.url}mois/2026/11/?kind=balade"
    assert following == f"{agenda.url}mois/2027/1/?kind=balade"
    assert client.get(previous).status_code == 200
    assert client.get(following).status_code == 200
    # From the list, the month view link is absolute too.
    month = re.search(r'<a href="([^"]*)">Vue par mois', client.get(agenda.url).content.decode()).group(1)
    assert month.startswith(agenda.url) and client.get(month).status_code == 200
