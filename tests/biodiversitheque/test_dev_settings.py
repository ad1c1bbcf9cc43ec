"""What a newcomer gets from `make run` (settings.dev): the branded error pages, static files, uploads, and
e-mails summarised in one console line each with the full message in var/mails/."""

import email
import io
import os
import subprocess
import sys
from pathlib import Path

from django.core.mail import EmailMultiAlternatives, get_connection

from biodiversitheque.core.mail_backends import SummaryFileBackend

ROOT = Path(__file__).resolve().parents[2]

DEV_CHECK = """
import django
django.setup()
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.test.client import RequestFactory
from django.views.defaults import server_error

client = Client(HTTP_HOST="127.0.0.1:8000", raise_request_exception=False)
missing = client.get("/page-qui-n-existe-pas/")
print("404", missing.status_code, "Page introuvable" in missing.content.decode(), "Django" in missing.content.decode())
print("500", server_error(RequestFactory().get("/")).content.decode().count("Le site rencontre un problème"))
for url in ("/static/css/main.css", "/static/wagtailadmin/css/core.css", "/admin/login/", "/media/essai.txt"):
    print(url, client.get(url).status_code)
message = EmailMultiAlternatives("Inscription confirmée : Balade", "Bonjour Léa", to=["lea@example.org"])
message.attach_alternative("<p>Bonjour <b>Léa</b></p>", "text/html")
message.send()
print("debug", settings.DEBUG)
"""


def database_url(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def test_make_run_shows_branded_error_pages_and_serves_static_and_media(django_db_setup, settings, tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "essai.txt").write_text("bonjour")
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DEBUG", "EMAIL_BACKEND", "EMAIL_HOST", "BASE_URL", "PORT"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="biodiversitheque.settings.dev", DATABASE_URL=database_url(settings),
        BIODIVERSITHEQUE_VAR_DIR=str(tmp_path), MEDIA_ROOT=str(tmp_path / "media"), PYTHONPATH=str(ROOT),
    )
    result = subprocess.run([sys.executable, "-c", DEV_CHECK], env=environment, cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert "404 404 True False" in lines  # the site's own page, not Django's technical one
    assert "500 1" in lines
    for url in ("/static/css/main.css", "/static/wagtailadmin/css/core.css", "/admin/login/", "/media/essai.txt"):
        assert f"{url} 200" in lines
    assert "debug False" in lines
    # The e-mail: one console line (no HTML), the whole message in var/mails/.
    (summary,) = [line for line in lines if line.startswith("[e-mail]")]
    assert "lea@example.org" in summary and "Inscription confirmée : Balade" in summary and "<p>" not in result.stdout
    (saved,) = (tmp_path / "mails").glob("*.eml")
    assert str(saved) in summary


def test_summary_backend_prints_one_line_and_writes_the_whole_message(tmp_path):
    stream = io.StringIO()
    connection = get_connection("biodiversitheque.core.mail_backends.SummaryFileBackend", file_path=tmp_path,
                                stream=stream)
    assert isinstance(connection, SummaryFileBackend)
    messages = []
    for number in (1, 2):
        message = EmailMultiAlternatives(f"Sujet {number}", "Texte brut", to=[f"p{number}@example.org"],
                                         connection=connection)
        message.attach_alternative("<p>Texte <b>HTML</b></p>", "text/html")
        message.attach("activite.ics", "BEGIN:VCALENDAR", "text/calendar")
        messages.append(message)
    assert connection.send_messages(messages) == 2
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("[e-mail] p1@example.org — Sujet 1 — ")
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    parsed = [email.message_from_bytes(path.read_bytes()) for path in files]
    assert {message["Subject"] for message in parsed} == {"Sujet 1", "Sujet 2"}
    parts = {part.get_content_type() for part in parsed[0].walk()}
    assert {"text/plain", "text/html", "text/calendar"} <= parts
