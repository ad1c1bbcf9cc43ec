"""Moderation: an association's event goes live only once a librarian approves it; everything is in the history."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowState

from associations import services
from ateliers.models import EventPage
from tests.associations.test_permissions import add_url, event_form_data
from ateliers.moderation import WORKFLOW_NAME
from biodiversitheque.core.roles import LIBRARIANS_GROUP


def submit_new_event(member_client, association, **overrides):
    data = event_form_data(**overrides)
    data["action-submit"] = "1"
    response = member_client.post(add_url(association.events_page), data)
    assert response.status_code == 302, response.content.decode()[:1500]
    return EventPage.objects.get(slug=overrides.get("slug", "sortie-tritons"))


def act(client, event, action, comment=""):
    state = WorkflowState.objects.get(object_id=str(event.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    url = reverse("wagtailadmin_pages:workflow_action", args=[event.pk, action, state.current_task_state.pk])
    return client.post(url, {"comment": comment})


def test_every_folder_has_the_validation_workflow(mares, apis):
    for association in (mares, apis):
        workflow = association.events_page.get_workflow()
        assert workflow.name == WORKFLOW_NAME
        task = workflow.tasks.get().specific
        assert list(task.groups.values_list("name", flat=True)) == [LIBRARIANS_GROUP]


def test_submit_then_approve_publishes(member_client, librarian, librarian_client, mares, mailoutbox):
    public = Client()
    event = submit_new_event(member_client, mares)
    assert not event.live
    assert event.workflow_in_progress
    assert any(librarian.email in message.to for message in mailoutbox)  # librarians are told
    assert public.get(f"/agenda/{mares.events_page.slug}/sortie-tritons/").status_code == 404

    dashboard = librarian_client.get("/admin/").content.decode()
    assert "Sortie tritons" in dashboard and "Activités des associations à valider" in dashboard

    mailoutbox.clear()
    response = act(librarian_client, event, "approve", "Parfait, merci !")
    assert response.status_code in (200, 302)
    event.refresh_from_db()
    assert event.live and event.organiser_id == mares.pk
    assert event.occurrences.exists()  # dates are generated on publication
    assert any("marie@example.org" in message.to for message in mailoutbox)
    assert public.get(event.url).status_code == 200


def test_request_changes_notifies_the_member(member_client, librarian_client, mares, mailoutbox):
    event = submit_new_event(member_client, mares)
    mailoutbox.clear()
    response = act(librarian_client, event, "reject", "Précisez le lieu de rendez-vous, s'il vous plaît.")
    assert response.status_code in (200, 302)
    event.refresh_from_db()
    assert not event.live
    to_member = [message for message in mailoutbox if "marie@example.org" in message.to]
    assert to_member
    body = to_member[0].body + "".join(str(alt[0]) for alt in getattr(to_member[0], "alternatives", []))
    assert "Précisez le lieu" in body


def test_member_cannot_approve_its_own_event(member_client, mares):
    event = submit_new_event(member_client, mares)
    response = act(member_client, event, "approve")
    assert response.status_code in (302, 403)
    event.refresh_from_db()
    assert not event.live


def test_edit_of_a_published_event_waits_for_approval(member_client, librarian_client, mares, make_event):
    public = Client()
    event = make_event(mares, title="Balade", slug="balade")
    data = event_form_data(title="Balade modifiée", slug="balade")
    data["action-submit"] = "1"
    assert member_client.post(f"/admin/pages/{event.pk}/edit/", data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Balade" and event.has_unpublished_changes
    assert "Balade modifiée" not in public.get(event.url).content.decode()
    act(librarian_client, event, "approve")
    event.refresh_from_db()
    assert event.title == "Balade modifiée"


def test_history_shows_who_created_submitted_and_approved(member_client, librarian_client, mares):
    event = submit_new_event(member_client, mares)
    act(librarian_client, event, "approve")
    actions = set(PageLogEntry.objects.filter(page=event).values_list("action", "user__username"))
    assert {("wagtail.create", "marie"), ("wagtail.workflow.start", "marie"),
            ("wagtail.workflow.approve", "biblio"), ("wagtail.publish", "biblio")} <= actions
    history = librarian_client.get(f"/admin/pages/{event.pk}/history/")
    assert history.status_code == 200
    html = history.content.decode()
    assert "Marie" in html and "Dominique" in html


@pytest.mark.parametrize("url", ["/admin/reports/site-history/", "/admin/reports/workflow/"])
def test_member_reports_show_no_other_association(member_client, other_member, apis, make_event, url):
    make_event(apis, live=False, title="Brouillon secret des abeilles", slug="brouillon-abeilles")
    response = member_client.get(url)
    assert b"Brouillon secret" not in response.content


def test_moderation_emails_greet_formally_and_link_to_base_url(member_client, librarian, mares, mailoutbox):
    submit_new_event(member_client, mares)
    (notification,) = [message for message in mailoutbox if librarian.email in message.to]
    html = notification.alternatives[0][0] if notification.alternatives else ""
    for body in (notification.body, html):
        assert "Bonjour Dominique," in body and "Salut" not in body
    assert "http://testserver/admin/pages/" in notification.body
