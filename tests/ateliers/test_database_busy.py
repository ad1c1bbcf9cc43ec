"""A registration while another connection holds SQLite's write lock (a long import): 503 in French, never 500."""

import sqlite3

import pytest
from django.db import connection

from ateliers.models import Registration

FORM = {"name": "Léa Martin", "email": "lea@example.org", "places": "1", "phone": "", "consent": "on"}


@pytest.fixture
def short_busy_timeout():
    """The same lock wait as in production, only shorter, so the test does not wait 10 s."""
    options = connection.settings_dict["OPTIONS"]
    saved = options.get("timeout")
    connection.close()
    options["timeout"] = 0.3
    yield
    connection.close()
    options["timeout"] = saved


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's database-wide write lock")
def test_registration_while_the_database_is_locked_gets_the_french_503(
    transactional_db, client, occurrence, short_busy_timeout
):
    url = occurrence.get_registration_url()
    assert client.get(url).status_code == 200
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # what a long import's transaction holds
    try:
        client.raise_request_exception = False
        response = client.post(url, FORM)
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert response.status_code == 503
    assert "Réessayez dans un instant" in response.content.decode()
    assert response["Retry-After"]
    assert not Registration.objects.exists()
    # Once the lock is released, the same form goes through.
    assert client.post(url, FORM).status_code == 302
    assert Registration.objects.get().status == Registration.CONFIRMED
