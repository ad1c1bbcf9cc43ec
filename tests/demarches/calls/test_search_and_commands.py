import datetime
import io

import pytest
from django.core.management import call_command

from ateliers.models import OutgoingEmail
from biodiversitheque.search.models import SearchDocument
from demarches.calls import choices as c
from demarches.calls import services
from demarches.calls.models import Application

from .conftest import fill

pytestmark = pytest.mark.django_db


def search(client, q):
    return client.get("/api/recherche/", {"q": q}).json()["results"]


@pytest.mark.parametrize("query", ["appel à projets jardin", "subvention", "jardins partages"])
def test_calls_are_found(client, call, query):
    results = search(client, query)
    assert results and results[0]["title"] == call.title
    assert results[0]["type"] == "appel"


def test_applications_are_never_indexed(client, call, access):
    fill(access, project_title="Poulailler collectif Zéphyrine")
    services.submit(access)
    assert not search(client, "Zéphyrine")
    assert not SearchDocument.objects.filter(title__icontains="Zéphyrine").exists()


def test_purge_command_runs_the_calls_purge(call, access, django_user_model):
    fill(access)
    application = services.submit(access)
    services.decide(application, c.REJECTED, None, reason="Hors sujet")
    services.publish_results(call, now=call.closes_at + datetime.timedelta(days=1))
    from demarches.calls.models import CallPage

    CallPage.objects.filter(pk=call.pk).update(results_published_at=call.closes_at - datetime.timedelta(days=365))
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "appels" in out.getvalue() and "anonymised : 1" in out.getvalue()
    assert Application.objects.get().email == ""


def test_remind_command(call, access):
    from demarches.calls.models import CallPage

    CallPage.objects.filter(pk=call.pk).update(closes_at=datetime.datetime.now(datetime.timezone.utc)
                                               + datetime.timedelta(hours=20))
    out = io.StringIO()
    call_command("remind_call_drafts", stdout=out)
    assert "1 brouillon" in out.getvalue()
    assert OutgoingEmail.objects.filter(kind="call_reminder").count() == 1
