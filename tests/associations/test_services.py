"""Association spaces, invitations and removals: what the services guarantee, through the admin where it matters."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from wagtail.models import GroupPagePermission

from associations import services
from associations.models import Membership
from ateliers.models import AssociationEventsPage
from tests.factories import AssociationFactory
from ateliers.moderation import WORKFLOW_NAME
from biodiversitheque.core.roles import LIBRARIANS_GROUP


def test_new_association_gets_folder_group_and_workflow(agenda):
    association = AssociationFactory(name="Vergers d'ici", slug="vergers-d-ici")
    folder = AssociationEventsPage.objects.get(association=association)
    assert folder.get_parent().pk == agenda.pk and folder.live
    group = association.members_group
    codenames = set(GroupPagePermission.objects.filter(group=group).values_list("permission__codename", flat=True))
    assert codenames == {"add_page", "change_page"}  # never publish
    assert group.permissions.filter(codename="access_admin").exists()
    assert folder.get_workflow().name == WORKFLOW_NAME
    # Idempotent: saving again neither duplicates nor changes anything.
    association.save()
    assert AssociationEventsPage.objects.filter(association=association).count() == 1
    assert GroupPagePermission.objects.filter(group=group).count() == 2


def test_renaming_the_association_renames_its_folder(mares):
    mares.name = "Les Ami·es des Mares"
    mares.save()
    assert AssociationEventsPage.objects.get(association=mares).title == "Les Ami·es des Mares"


def test_librarians_group_exists_without_demo(db):
    group = Group.objects.get(name=LIBRARIANS_GROUP)
    assert group.permissions.filter(codename="view_registration").exists()
    assert group.permissions.filter(codename="change_association").exists()
    assert GroupPagePermission.objects.filter(group=group, permission__codename="publish_page").exists()


def test_invitation_email_and_set_password_flow(mares, librarian_client, django_capture_on_commit_callbacks,
                                                mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = librarian_client.post(
            "/admin/associations/membres/new/",
            {"association": mares.pk, "email": "Nouvelle@Example.org", "first_name": "Nina", "last_name": "Mare",
             "role": "editor"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@example.org")
    assert not user.has_usable_password() and user.is_active
    assert Membership.objects.filter(user=user, association=mares).exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nouvelle@example.org"]
    assert "Les Amis des Mares" in mailoutbox[0].subject
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+/)", mailoutbox[0].body).group(1)

    client = Client()
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"new_password1": "Triton-crete-2025", "new_password2": "Triton-crete-2025"})
    assert response.status_code == 302
    assert client.login(username="nouvelle@example.org", password="Triton-crete-2025")
    assert client.get("/admin/").status_code == 200


def test_invitation_errors_are_french_and_write_nothing(mares, member, librarian_client):
    response = librarian_client.post(
        "/admin/associations/membres/new/", {"association": mares.pk, "email": member.email, "role": "editor"}
    )
    assert response.status_code == 200
    assert "déjà membre" in response.content.decode()
    assert Membership.objects.filter(user=member).count() == 1
    response = librarian_client.post(
        "/admin/associations/membres/new/", {"association": mares.pk, "email": "pas-une-adresse", "role": "editor"}
    )
    assert response.status_code == 200 and not User.objects.filter(email="pas-une-adresse").exists()


def test_existing_account_is_reused_and_told_to_log_in(mares, apis, member, django_capture_on_commit_callbacks,
                                                       mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(apis, member.email.upper())
    assert User.objects.filter(email__iexact=member.email).count() == 1
    assert set(Membership.objects.filter(user=member).values_list("association__slug", flat=True)) == {
        "les-amis-des-mares", "apis-sauvage"
    }
    assert "password_reset" not in mailoutbox[0].body and "/admin/login/" in mailoutbox[0].body


def test_removing_the_membership_revokes_access_at_once(member_client, member, mares, librarian_client):
    edit = f"/admin/snippets/associations/association/edit/{mares.pk}/"
    assert member_client.get(edit).status_code == 200
    membership = Membership.objects.get(user=member, association=mares)
    response = librarian_client.post(f"/admin/associations/membres/delete/{membership.pk}/")
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active and not member.groups.exists()
    # The same session is refused on the next request.
    response = member_client.get(edit)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_removing_one_of_two_memberships_keeps_the_other(member, mares, apis):
    services.invite_member(apis, member.email)
    services.remove_membership(Membership.objects.get(user=member, association=mares))
    member.refresh_from_db()
    assert member.is_active
    assert list(member.groups.values_list("name", flat=True)) == [services.members_group_name(apis)]


def test_a_librarian_who_leaves_an_association_stays_active(librarian, mares):
    services.invite_member(mares, librarian.email)
    services.remove_membership(Membership.objects.get(user=librarian))
    librarian.refresh_from_db()
    assert librarian.is_active and librarian.groups.filter(name=LIBRARIANS_GROUP).exists()


@pytest.mark.parametrize("path", ["", "nope/"])
def test_events_folder_url_leads_to_the_association_page(client, directory_page, mares, path):
    response = client.get(f"/agenda/{mares.events_page.slug}/{path}")
    if path:
        assert response.status_code == 404
    else:
        assert response.status_code == 302 and response.url.endswith("/associations/les-amis-des-mares/")


def test_folder_feed_is_the_association_feed(client, directory_page, mares, make_event):
    make_event(mares, title="Balade publiée", slug="balade-publiee")
    response = client.get(f"/agenda/{mares.events_page.slug}/agenda.ics")
    assert response.status_code == 200 and b"Balade publi" in response.content
