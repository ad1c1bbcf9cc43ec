"""The desk and the admin lists: lending team only; check out, check in, maintenance through the rules."""

import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils import WagtailTestUtils  # noqa: F401 - Wagtail's helpers are importable

from prets import services
from prets.choices import LOAN_OUT, LOAN_RESERVED, LOAN_RETURNED, UNIT_MAINTENANCE
from prets.models import Loan, Unit
from prets.roles import ensure_roles


@pytest.fixture
def lending_client(client, django_user_model, home_page):
    ensure_roles()
    user = django_user_model.objects.create_user("preteuse", password="x")
    user.groups.add(Group.objects.get(name="Prêts"))
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(client, django_user_model, home_page):
    group = Group.objects.create(name="Rédaction")
    from django.contrib.auth.models import Permission

    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("redacteur", password="x")
    user.groups.add(group)
    client.force_login(user)
    return client


def test_desk_check_out_check_in_maintenance(lending_client, thing, borrower, point, today):
    loan = services.reserve(borrower.pk, thing.pk, point.pk, point.next_open_day(today),
                            point.next_open_day(today) + datetime.timedelta(days=2))
    if loan.start_date > today:
        Loan.objects.filter(pk=loan.pk).update(start_date=today)
    url = "/admin/prets/guichet/"
    page = lending_client.get(url).content.decode()
    assert "À retirer" in page and thing.title in page
    response = lending_client.post(url, {"action": "check_out", "loan": loan.pk}, follow=True)
    assert "Prêt enregistré" in response.content.decode()
    assert Loan.objects.get(pk=loan.pk).status == LOAN_OUT
    response = lending_client.post(url, {"action": "check_in", "loan": loan.pk, "condition": "inconnu"}, follow=True)
    assert "État inconnu" in response.content.decode() and Loan.objects.get(pk=loan.pk).status == LOAN_OUT
    lending_client.post(url, {"action": "check_in", "loan": loan.pk, "condition": "abime", "maintenance": "1"})
    loan.refresh_from_db()
    assert loan.status == LOAN_RETURNED and loan.return_condition == "abime"
    assert Unit.objects.get(pk=loan.unit_id).status == UNIT_MAINTENANCE
    response = lending_client.post(url, {"action": "lend", "unit": loan.unit_id, "borrower": borrower.pk}, follow=True)
    assert "maintenance" in response.content.decode()
    response = lending_client.post(url, {"action": "check_out"}, follow=True)
    assert "Action incomplète" in response.content.decode()
    found = lending_client.get(url, {"q": borrower.name[:5]}).content.decode()
    assert borrower.email in found


def test_desk_lists_due_and_overdue(lending_client, make_thing, make_borrower, point, today):
    late = make_thing("Bêche")
    Loan.objects.create(unit=late.units.get(), thing=late, lending_point=point, borrower=make_borrower("Retardataire"),
                        status=LOAN_OUT, start_date=today - datetime.timedelta(days=10),
                        due_date=today - datetime.timedelta(days=3))
    page = lending_client.get("/admin/prets/guichet/").content.decode()
    assert "Retardataire" in page and "3 jours de retard" in page
    assert lending_client.get("/admin/prets/statistiques/").status_code == 200


def test_personal_data_only_for_the_lending_team(editor_client, borrower, thing, point, today):
    loan = Loan.objects.create(unit=thing.units.get(), thing=thing, lending_point=point, borrower=borrower,
                               status=LOAN_RESERVED, start_date=today, due_date=today)
    for url in ("/admin/prets/guichet/", "/admin/prets/statistiques/", "/admin/prets/borrower/",
                f"/admin/prets/borrower/inspect/{borrower.pk}/", f"/admin/prets/borrower/history/{borrower.pk}/",
                "/admin/prets/loan/", f"/admin/prets/loan/inspect/{loan.pk}/"):
        response = editor_client.get(url)
        assert response.status_code in (302, 403), url
        assert borrower.email not in response.content.decode()


def test_lending_team_sees_borrowers(lending_client, borrower):
    for url in ("/admin/prets/borrower/", f"/admin/prets/borrower/inspect/{borrower.pk}/", "/admin/prets/loan/",
                "/admin/prets/hold/", "/admin/prets/unit/"):
        response = lending_client.get(url)
        assert response.status_code == 200, url
    assert borrower.email in lending_client.get("/admin/prets/borrower/").content.decode()


def test_roles_are_idempotent(db):
    first = ensure_roles()
    count = first.permissions.count()
    second = ensure_roles()
    assert first.pk == second.pk and second.permissions.count() == count
    assert second.permissions.filter(codename="view_borrower").exists()


def test_commands(thing, borrower, today, capsys):
    from django.core.management import call_command

    services.lend_now(borrower.pk, thing.units.get().pk, today=today - datetime.timedelta(days=20))
    call_command("send_loan_notices")
    assert "avis de retard" in capsys.readouterr().out
    call_command("purge_personal_data")
    assert "Emprunteurs supprimés" in capsys.readouterr().out
