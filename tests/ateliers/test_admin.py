import pytest
from django.contrib.auth.models import Group, Permission, User

from ateliers import services
from ateliers.models import Occurrence, Registration


@pytest.fixture
def admin_client(client, home_page):
    user = User.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(user)
    return client


def test_registration_list_filters_search_and_csv(admin_client, occurrence):
    services.register(occurrence.pk, name="Léa Martin", email="lea@example.org", places=2)
    services.register(occurrence.pk, name="Max Durand", email="max@example.org", places=1)
    url = "/admin/ateliers/registration/"
    html = admin_client.get(url, {"q": "lea"}).content.decode()
    assert "Léa Martin" in html and "Max Durand" not in html
    html = admin_client.get(url, {"occurrence": occurrence.pk, "status": "confirmed"}).content.decode()
    assert "Max Durand" in html
    export = admin_client.get(url, {"export": "csv"})
    assert export.status_code == 200
    content = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert "lea@example.org" in content


def test_manual_add_and_remove_promote(admin_client, make_occurrence):
    occurrence = make_occurrence(capacity=1)
    holder = services.register(occurrence.pk, name="A", email="a@example.org", places=1)
    response = admin_client.post(
        "/admin/ateliers/registration/create/",
        {"occurrence": occurrence.pk, "name": "B", "email": "b@example.org", "places": 1, "phone": ""},
    )
    assert response.status_code == 302
    added = Registration.objects.get(email="b@example.org")
    assert added.status == Registration.WAITING
    response = admin_client.post(f"/admin/ateliers/registration/delete/{holder.pk}/")
    assert response.status_code == 302
    assert Registration.objects.get(pk=added.pk).status == Registration.CONFIRMED
    assert Registration.objects.get(pk=holder.pk).status == Registration.CANCELLED


def test_attendance_and_capacity_and_cancellation(admin_client, make_occurrence):
    occurrence = make_occurrence(capacity=1)
    registration = services.register(occurrence.pk, name="A", email="a@example.org", places=1)
    waiting = services.register(occurrence.pk, name="B", email="b@example.org", places=1, wants_waiting_list=True)
    response = admin_client.post(
        f"/admin/ateliers/registration/edit/{registration.pk}/", {"attended": "true", "name": "A", "phone": ""}
    )
    assert response.status_code == 302 and Registration.objects.get(pk=registration.pk).attended is True
    admin_client.post(f"/admin/ateliers/occurrence/edit/{occurrence.pk}/", {"capacity_override": "2"})
    assert Registration.objects.get(pk=waiting.pk).status == Registration.CONFIRMED
    assert "Annuler la date" in admin_client.get("/admin/ateliers/occurrence/").content.decode()
    response = admin_client.post(f"/admin/agenda/dates/{occurrence.pk}/annuler/", {"reason": "Orage"})
    assert response.status_code == 302
    assert Occurrence.objects.get(pk=occurrence.pk).status == Occurrence.CANCELLED


def test_dashboard_panel_shows_fill_rate(admin_client, occurrence):
    services.register(occurrence.pk, name="A", email="a@example.org", places=2)
    html = admin_client.get("/admin/").content.decode()
    assert "Prochaines dates de l’agenda" in html and "40 %" in html


def test_editor_without_registration_permissions_sees_no_personal_data(client, occurrence):
    services.register(occurrence.pk, name="Léa", email="lea@example.org", places=1)
    editors = Group.objects.create(name="Rédaction")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    user = User.objects.create_user("redac", "r@example.org", "x")
    user.groups.add(editors)
    client.force_login(user)
    response = client.get("/admin/ateliers/registration/")
    assert response.status_code in (302, 403)
    assert "lea@example.org" not in client.get("/admin/").content.decode()


def test_recurrence_widget_in_the_wagtail_editor(admin_client, agenda):
    response = admin_client.get(f"/admin/pages/add/ateliers/eventpage/{agenda.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "recurrence-widget" in html and "recurrence/js/recurrence-widget.js" in html
    assert "/jsi18n/recurrence/" in html
    catalogue = admin_client.get("/jsi18n/recurrence/").content.decode()
    assert "chaque" in catalogue.lower() or "tous les" in catalogue.lower()
