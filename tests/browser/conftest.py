"""Real headless Chromium (Debian's package) driven by Playwright against pytest-django's live server.

Skipped with a clear message where Chromium is absent, unless BROWSER_TESTS=required (CI), which fails instead.
Screenshots of each step go to test-artifacts/screenshots/ (git-ignored, kept by CI).
"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DOC_IMAGES = ROOT / "docs" / "images"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM (fixtures) must still be allowed here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    missing = []
    if not chromium_path():
        missing.append("Chromium introuvable (paquet Debian « chromium »)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("paquet Python playwright absent")
    if not AXE.exists():
        missing.append("axe-core absent (npm ci)")
    if not missing:
        return
    reason = "tests navigateur NON exécutés : " + ", ".join(missing)
    if os.environ.get("BROWSER_TESTS") == "required":
        raise pytest.UsageError(reason + ", alors que BROWSER_TESTS=required")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_collection_finish(session):
    if any("browser" in item.keywords for item in session.items) and not chromium_path():
        session.config.get_terminal_writer().line(
            "!! Chromium absent : les tests navigateur sont ignorés (apt-get install chromium).", yellow=True
        )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Chromium reports each Content-Security-Policy violation as a console error: none is allowed.
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text
        and violations.append(f"{page.url} : {message.text[:160]} ({message.location.get('url')})"),
    )
    yield page
    context.close()
    assert not violations, f"violations de la CSP : {violations}"


@pytest.fixture
def shot(page, request):
    """shot("etape") saves a numbered full-page screenshot for this test; shot("etape", doc="nom") also
    refreshes docs/images/nom.png when DOCS_SCREENSHOTS is set (`make docs-screenshots`)."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def take(name, target=None, doc=None):
        counter["n"] += 1
        (target or page).screenshot(path=str(folder / f"{counter['n']:02d}-{name}.png"), full_page=True)
        if doc and os.environ.get("DOCS_SCREENSHOTS"):
            DOC_IMAGES.mkdir(parents=True, exist_ok=True)
            (target or page).screenshot(path=str(DOC_IMAGES / f"{doc}.png"))

    return take


@pytest.fixture
def axe(page):
    """axe(page) runs axe-core on the current page and returns every violation, whatever its impact."""
    source = AXE.read_text()

    def run(target=None):
        target = target or page
        # Injected through evaluate (a CDP call), not a <script> tag, so the page's CSP doesn't interfere.
        target.evaluate(source + "\n;window.__axeLoaded = true;")
        result = target.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            })"""
        )
        return [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]

    return run




def _restore(contents):
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    # A flush re-creates content types and permissions (post_migrate): start from empty, then reload.
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    # Content types first: building a Wagtail task (the moderation workflow's) looks its own up, and would
    # create it with a new id before the saved one is loaded.
    rows = sorted(json.loads(contents), key=lambda row: row["model"] != "contenttypes.contenttype")
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(json.dumps(rows))


@pytest.fixture(scope="session")
def seed_data(django_db_setup, django_db_blocker):
    """The rows the migrations seed (locale, root page, themes, groups…), captured once. Browser tests are
    transactional (live server): the flush after each wipes them; they are put back after the last one,
    so that the next --reuse-db run finds them."""
    from django.db import connection

    with django_db_blocker.unblock():
        contents = connection.creation.serialize_db_to_string()
    yield contents
    with django_db_blocker.unblock():
        _restore(contents)


@pytest.fixture(autouse=True)
def seeded_database(seed_data, transactional_db):
    """Between browser tests, only Wagtail's own rows are needed (the tests build their content with factories)."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
