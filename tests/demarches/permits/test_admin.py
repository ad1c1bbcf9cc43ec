import pytest
from django.urls import reverse

from associations.models import Association, Membership
from demarches.permits import choices, services
from demarches.permits.models import PermitRequest
from demarches.permits.permissions import permit_policy

from .conftest import make_user

LIST_URL = "/admin/demarches/permitrequest/"


def instruct_url(permit):
    return reverse("demarches_permit_instruct", args=[permit.pk])


def test_whole_instruction_through_the_admin_screens(client, make_permit, instructor, decider, service_agents):
    permit = make_permit()
    client.force_login(instructor)
    page = client.get(instruct_url(permit))
    assert page.status_code == 200 and "jours restants" in page.content.decode()
    assert client.post(instruct_url(permit), {"action": "start"}).status_code == 302
    for code, user in service_agents.items():
        client.force_login(user)
        response = client.post(instruct_url(permit), {"action": "opinion", "service": code, "favourable": "1",
                                                      "comment": "OK"})
        assert response.status_code == 302
    client.force_login(service_agents["voirie"])
    # A service gives only its own opinion.
    response = client.post(instruct_url(permit), {"action": "opinion", "service": "elu", "favourable": "0"})
    assert permit.opinions.get(service="elu").favourable
    client.force_login(decider)
    response = client.post(instruct_url(permit), {"action": "decide", "decision": "granted", "comment": ""})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.status == choices.GRANTED and permit.decided_by == decider
    letter = client.get(reverse("demarches_permit_letter", args=[permit.pk]))
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")


def test_instructor_cannot_decide(client, make_permit, instructor, service_agents):
    permit = make_permit()
    services.start_instruction(permit.pk, instructor)
    for code, user in service_agents.items():
        services.give_opinion(permit.pk, user, code, True)
    client.force_login(instructor)
    response = client.post(instruct_url(permit), {"action": "decide", "decision": "granted"})
    assert response.status_code in (302, 403)  # Wagtail answers a denial by a redirect with a message
    permit.refresh_from_db()
    assert permit.status == choices.OPINIONS


def test_refusal_without_clause_is_a_french_error(client, make_permit, decider, service_agents, instructor):
    permit = make_permit()
    services.start_instruction(permit.pk, instructor)
    for code, user in service_agents.items():
        services.give_opinion(permit.pk, user, code, False)
    client.force_login(decider)
    response = client.post(instruct_url(permit), {"action": "decide", "decision": "refused", "clause": ""})
    assert response.status_code == 200 and "cite l&#x27;article" in response.content.decode()
    permit.refresh_from_db()
    assert permit.status == choices.OPINIONS


def test_list_filters_and_commune_scope(client, make_permit, instructor, other_commune, roles, data):
    from decimal import Decimal

    mine = make_permit()
    theirs = make_permit(commune=other_commune, latitude=Decimal("47.43"), longitude=Decimal("0.68"))
    other_commune.agent_groups.add(roles[choices.DECISION_GROUP])  # instructors do not instruct Les Prés
    client.force_login(instructor)
    response = client.get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200 and mine.reference in html and theirs.reference not in html
    assert client.get(instruct_url(theirs)).status_code in (302, 403)
    assert client.get(f"{LIST_URL}?status={choices.DEPOSITED}").status_code == 200
    export = client.get(f"{LIST_URL}?export=csv")
    body = b"".join(export.streaming_content).decode("utf-8") if export.streaming else export.content.decode()
    assert mine.reference in body and "camille@example.org" in body and theirs.reference not in body


def test_association_member_sees_only_its_requests_without_contact(client, make_permit, db):
    association = Association.objects.create(name="Les Amis des mares", slug="amis-des-mares")
    ours = make_permit(applicant_kind="association", association=association)
    other = make_permit()
    member = make_user("membre")
    Membership.objects.create(user=member, association=association)
    visible = permit_policy.filter_for_user(member, PermitRequest.objects.all(), ("view",))
    assert list(visible) == [ours]
    assert permit_policy.user_has_permission_for_instance(member, "view", ours)
    assert not permit_policy.user_has_permission_for_instance(member, "view", other)
    assert not permit_policy.user_has_permission_for_instance(member, "change", ours)


def test_map_and_statistics_for_agents_only(client, make_permit, instructor):
    permit = make_permit()
    client.force_login(instructor)
    assert permit.reference in client.get(reverse("demarches_permit_map")).content.decode()
    stats = client.get(reverse("demarches_permit_stats")).content.decode()
    assert "Pied d&#x27;arbre" in stats and "Déposée" in stats
    client.force_login(make_user("curieux"))
    assert client.get(reverse("demarches_permit_map")).status_code in (302, 403)


def test_list_query_count(client, make_permit, instructor, django_assert_max_num_queries):
    for _ in range(5):
        make_permit()
    client.force_login(instructor)
    client.get(LIST_URL)
    with django_assert_max_num_queries(30):
        assert client.get(LIST_URL).status_code == 200


def test_roles_are_idempotent(roles):
    from demarches.permits.roles import ensure_roles

    again = ensure_roles()
    assert set(again) == set(roles)
    assert again[choices.DECISION_GROUP].permissions.filter(codename="decide_permitrequest").exists()
    assert not again[choices.INSTRUCTORS_GROUP].permissions.filter(codename="decide_permitrequest").exists()
