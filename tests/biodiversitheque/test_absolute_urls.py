"""Every absolute URL the portal writes starts with settings.BASE_URL (not the request's host, not the Site's)."""

import csv
import io
import json
import re
from urllib.parse import urlsplit

import pytest

from ateliers import services
from biodiversitheque.core.absolute_urls import absolute_url
from ressources.darwincore import dataset_settings

BASE_URL = "http://portail.example:8080"
URL = re.compile(r"https?://[^\s\"'<>]+")
# Links to other sites that the portal's pages legitimately carry (standards, maps, licences).
FOREIGN = ("https://schema.org", "http://creativecommons.org", "https://www.openstreetmap.org",
           "https://www.inaturalist.org", "http://www.w3.org")


@pytest.fixture
def base_url(settings):
    settings.BASE_URL = settings.WAGTAILADMIN_BASE_URL = BASE_URL
    return BASE_URL


def own_urls(text):
    urls = [url for url in URL.findall(text) if not url.startswith(FOREIGN)]
    assert urls, "aucune adresse absolue trouvée"
    return urls


def assert_all_start_with_base_url(text):
    wrong = [url for url in own_urls(text) if not url.startswith(f"{BASE_URL}/")]
    assert not wrong


def test_absolute_url_replaces_any_origin_by_base_url(base_url):
    assert absolute_url("/agenda/") == f"{BASE_URL}/agenda/"
    assert absolute_url("http://localhost/agenda/?page=2") == f"{BASE_URL}/agenda/?page=2"
    assert absolute_url("agenda/") == f"{BASE_URL}/agenda/"
    assert absolute_url("") == "" and absolute_url(None) == ""


def test_emails_and_their_ics_use_base_url(base_url, small_site, mailoutbox, django_capture_on_commit_callbacks):
    occurrence = small_site.occurrence
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register(occurrence.pk, name="Léa", email="lea@example.org", places=2)
        services.register(occurrence.pk, name="Noé", email="noe@example.org", places=1, wants_waiting_list=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(first.pk)  # cancellation to Léa, promotion to Noé
    kinds = {message.subject.split(" ")[0] for message in mailoutbox}
    assert len(mailoutbox) == 4, kinds
    for message in mailoutbox:
        assert_all_start_with_base_url(message.body)
        assert_all_start_with_base_url(message.alternatives[0][0])
        for _name, content, _type in message.attachments:
            assert_all_start_with_base_url(content.replace("\r\n ", ""))


def test_feeds_json_ld_api_and_exports_use_base_url(base_url, small_site, client):
    event = small_site.event
    html = client.get(event.url).content.decode()
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert_all_start_with_base_url(json_ld)
    for feed in (f"{small_site.agenda.url}agenda.ics", f"{event.url}agenda.ics"):
        response = client.get(feed)
        assert response.status_code == 200
        assert_all_start_with_base_url(response.content.decode().replace("\r\n ", ""))
    api = client.get("/api/agenda/").json()
    assert_all_start_with_base_url(json.dumps(api))
    export = client.get(small_site.inventory.url + "darwin-core/")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows and {row["references"] for row in rows} == {f"{BASE_URL}{small_site.inventory.url}"}
    assert dataset_settings()["host"] == "portail.example:8080"  # identifiers minted as urn:<host>:…


def test_personal_link_from_the_email_opens(settings, small_site, client, mailoutbox, django_capture_on_commit_callbacks):
    """`PORT=8080 make run`: register through the form, follow the link of the e-mail, get the page."""
    settings.BASE_URL = settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8080"
    form = {"name": "Léa Martin", "email": "lea@example.org", "places": "1", "phone": "", "consent": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(small_site.occurrence.get_registration_url(), form, HTTP_HOST="127.0.0.1:8080")
    assert response.status_code == 302
    (message,) = mailoutbox
    personal = next(url for url in own_urls(message.body) if re.search(r"/inscription/\d+-[0-9a-f]{40}/$", url))
    assert personal.startswith("http://127.0.0.1:8080/")
    parts = urlsplit(personal)
    page = client.get(parts.path, HTTP_HOST=parts.netloc)
    assert page.status_code == 200
    assert "Balade des mares" in page.content.decode()


def test_base_url_follows_port_and_make_run_passes_it_on(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    environment = {key: value for key, value in os.environ.items() if key not in {"BASE_URL", "PORT"}}
    environment.update(PORT="8080", DJANGO_SETTINGS_MODULE="biodiversitheque.settings.dev",
                       BIODIVERSITHEQUE_VAR_DIR=str(tmp_path))
    code = "from django.conf import settings as s; print(s.BASE_URL, s.WAGTAILADMIN_BASE_URL)"
    shown = subprocess.run([sys.executable, "-c", code], env=environment, cwd=root, capture_output=True, text=True,
                           check=True).stdout.split()
    assert shown == ["http://127.0.0.1:8080", "http://127.0.0.1:8080"]
    plan = subprocess.run(["make", "-n", "run", "PORT=8080"], cwd=root, capture_output=True, text=True).stdout
    assert "BASE_URL=http://127.0.0.1:8080 .venv/bin/python manage.py load_demo" in plan
    assert "BASE_URL=http://127.0.0.1:8080 .venv/bin/python manage.py runserver 127.0.0.1:8080" in plan
