import datetime

import pytest
from django.utils import timezone

from ateliers.models import OutgoingEmail
from demarches.permits import choices, services
from demarches.permits.models import PermitRequest, RequestEvent, street_of
from demarches.permits.tokens import follow_url

from .conftest import move_clock


def test_submit_gives_yearly_reference_deadline_and_confirmation(make_permit, charter):
    first, second = make_permit(), make_permit()
    year = timezone.now().year
    assert first.reference == f"PV-{year}-0001" and second.reference == f"PV-{year}-0002"
    assert first.status == choices.DEPOSITED
    assert first.charter_version == "1" and first.charter_accepted_at is not None
    assert first.deadline_on == services.add_months(timezone.localdate(), 2)
    assert first.street == "rue du Moulin"
    email = OutgoingEmail.objects.get(kind="permit_received", to="camille@example.org", subject__contains=first.reference)
    assert follow_url(first, absolute=True) in email.body_text


def test_same_submission_key_twice_makes_one_request(campaign, data):
    first, created = services.submit_request(campaign, data(), submission_key="abc123")
    again, created_again = services.submit_request(campaign, data(), submission_key="abc123")
    assert created and not created_again and again.pk == first.pk
    assert PermitRequest.objects.count() == 1


def test_closed_window_refuses_and_writes_nothing(campaign, data):
    campaign.window_mode = choices.WINDOW_SEASONS
    today = timezone.localdate()
    campaign.spring_opens, campaign.spring_closes = today + datetime.timedelta(days=10), today + datetime.timedelta(days=40)
    campaign.save()
    with pytest.raises(services.PermitError) as error:
        services.submit_request(campaign, data())
    assert error.value.code == "closed"
    assert campaign.reopens_on() == today + datetime.timedelta(days=10)
    assert not PermitRequest.objects.exists() and not OutgoingEmail.objects.exists()


def test_incomplete_stops_the_clock_and_the_answer_restarts_it(make_permit, instructor, monkeypatch):
    permit = make_permit()
    services.request_information(permit.pk, instructor, "Une photo du trottoir, svp.")
    permit.refresh_from_db()
    assert permit.status == choices.INCOMPLETE and permit.deadline_on is None
    assert OutgoingEmail.objects.filter(kind="permit_incomplete").exists()
    later = move_clock(monkeypatch, 20)
    services.answer_information(permit.pk, "Voici la photo.")
    permit.refresh_from_db()
    assert permit.status == choices.INSTRUCTION and permit.info_answer == "Voici la photo."
    assert permit.deadline_on == services.add_months(later, 2)


def test_decision_needs_every_required_opinion_and_a_clause_to_refuse(make_permit, instructor, decider,
                                                                      service_agents):
    permit = make_permit()
    services.start_instruction(permit.pk, instructor)
    services.give_opinion(permit.pk, service_agents["voirie"], "voirie", False, "Trottoir étroit")
    with pytest.raises(services.PermitError) as error:
        services.decide(permit.pk, decider, granted=False, clause=3)
    assert error.value.code == "opinions_missing" and "Espaces verts" in error.value.message
    for code in ("espaces_verts", "elu"):
        services.give_opinion(permit.pk, service_agents[code], code, True)
    with pytest.raises(services.PermitError) as error:
        services.decide(permit.pk, decider, granted=False, clause=None)
    assert error.value.code == "clause_required"
    services.decide(permit.pk, decider, granted=False, clause=3, comment="Passage insuffisant.")
    permit.refresh_from_db()
    assert permit.status == choices.REFUSED and permit.refusal_clause == 3
    email = OutgoingEmail.objects.get(kind="permit_decision")
    assert email.attachment_name.endswith(".pdf") and bytes(email.attachment).startswith(b"%PDF-1.4")
    assert b"Passage de 1,40 m" in bytes(email.attachment)


def test_granted_permit_is_valid_three_years(make_permit, instructor, decider, service_agents):
    permit = make_permit()
    services.ask_opinions(permit.pk, instructor)
    for code, user in service_agents.items():
        services.give_opinion(permit.pk, user, code, True)
    services.decide(permit.pk, decider, granted=True)
    permit.refresh_from_db()
    assert permit.status == choices.GRANTED
    assert permit.valid_until == services.add_months(timezone.localdate(), 36)
    actions = list(RequestEvent.objects.filter(request=permit).values_list("action", flat=True))
    assert actions == ["submitted", "opinions_asked", "opinion", "opinion", "opinion", "decided"]


def test_reminder_at_d7_then_tacit_approval_with_the_clock_moved(make_permit, monkeypatch):
    permit = make_permit()
    days_to_deadline = (permit.deadline_on - timezone.localdate()).days
    today = move_clock(monkeypatch, days_to_deadline - 7)
    counts = services.run_daily(today)
    assert counts["reminders"] == 1 and counts["tacit"] == 0
    assert OutgoingEmail.objects.filter(kind="permit_deadline_reminder", to="services@villeneuve.example.org").count() == 1
    assert services.run_daily(today)["reminders"] == 0  # once per deadline
    today = move_clock(monkeypatch, days_to_deadline)
    counts = services.run_daily(today)
    permit.refresh_from_db()
    assert counts["tacit"] == 1 and permit.status == choices.GRANTED and permit.tacit
    assert permit.valid_until == services.add_months(permit.deadline_on, 36)
    assert OutgoingEmail.objects.filter(kind="permit_tacit", to="camille@example.org").exists()
    assert services.run_daily(today)["tacit"] == 0


def test_renewal_notice_renewal_and_expiry(make_permit, monkeypatch):
    permit = make_permit()
    PermitRequest.objects.filter(pk=permit.pk).update(
        status=choices.GRANTED, decided_at=timezone.now(), valid_until=timezone.localdate() + datetime.timedelta(days=30))
    assert services.run_daily()["renewal_notices"] == 1
    services.renew(permit.pk)
    permit.refresh_from_db()
    assert permit.status == choices.RENEWED
    assert permit.valid_until == services.add_months(timezone.localdate() + datetime.timedelta(days=30), 36)
    PermitRequest.objects.filter(pk=permit.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    assert services.run_daily()["expired"] == 1
    permit.refresh_from_db()
    assert permit.status == choices.EXPIRED


def test_renewal_too_early_is_refused(make_permit):
    permit = make_permit()
    PermitRequest.objects.filter(pk=permit.pk).update(
        status=choices.GRANTED, valid_until=timezone.localdate() + datetime.timedelta(days=900))
    with pytest.raises(services.PermitError) as error:
        services.renew(permit.pk)
    assert error.value.code == "too_early"


def test_purge_erases_refused_after_retention_and_keeps_open_ones(make_permit, instructor, settings):
    settings.PERMIT_RETENTION_DAYS = 30
    open_permit, abandoned = make_permit(), make_permit(email="autre@example.org")
    services.abandon(abandoned.pk, instructor, "Retirée")
    PermitRequest.objects.filter(pk=abandoned.pk).update(decided_at=timezone.now() - datetime.timedelta(days=31))
    result = services.purge_personal_data()
    assert result["anonymised"] == 1
    abandoned.refresh_from_db()
    open_permit.refresh_from_db()
    assert abandoned.name == "" and abandoned.email == "" and abandoned.access_key == ""
    assert abandoned.address == "rue du Moulin" and float(abandoned.latitude) == 47.392
    assert not OutgoingEmail.objects.filter(to="autre@example.org").exists()
    assert open_permit.name == "Camille Martin"
    assert services.purge_personal_data()["anonymised"] == 0


def test_purge_waits_for_expiry_plus_retention(make_permit, settings):
    settings.PERMIT_RETENTION_DAYS = 30
    permit = make_permit()
    PermitRequest.objects.filter(pk=permit.pk).update(
        status=choices.EXPIRED, valid_until=timezone.localdate() - datetime.timedelta(days=10))
    assert services.purge_personal_data()["anonymised"] == 0
    PermitRequest.objects.filter(pk=permit.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=31))
    assert services.purge_personal_data()["anonymised"] == 1


@pytest.mark.parametrize("address, street", [
    ("12 rue du Moulin", "rue du Moulin"), ("12 bis, rue du Moulin", "rue du Moulin"),
    ("Chemin des Prés", "Chemin des Prés"), ("3b avenue X, 37000 Tours", "avenue X"),
])
def test_street_never_keeps_the_door_number(address, street):
    assert street_of(address) == street


def test_invasive_taxon_is_always_forbidden(campaign):
    from ressources.models import Taxon

    good = Taxon.objects.create(scientific_name="Centaurea cyanus", group="plantes")
    bad = Taxon.objects.create(scientific_name="Reynoutria japonica", group="plantes", is_invasive=True)
    campaign.recommended_taxa.set([good, bad])
    palette = campaign.palette()
    assert palette["recommended"] == [good]
    assert bad in palette["forbidden"]
