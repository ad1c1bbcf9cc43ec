from ateliers import services
from tests.factories import AssociationFactory

API = "/api/agenda/"


def test_api_fields_and_no_personal_data(client, make_occurrence):
    association = AssociationFactory(name="Apis Sauvage", slug="apis-sauvage")
    occurrence = make_occurrence(capacity=3, title="Hôtel à insectes", kind="atelier", organiser=association)
    services.register(occurrence.pk, name="Léa", email="lea@example.org", places=3)
    services.register(occurrence.pk, name="Max", email="max@example.org", places=2, wants_waiting_list=True)
    response = client.get(API)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["results"][0]
    assert {"title", "url", "kind", "start", "end", "place", "capacity", "seats_left", "waiting_list",
            "registration_url", "organiser"} <= set(item)
    assert item["title"] == "Hôtel à insectes"
    assert (item["capacity"], item["seats_left"], item["waiting_list"]) == (3, 0, 2)
    assert item["registration_url"].startswith("http://testserver/agenda/")
    assert item["organiser"]["name"] == "Apis Sauvage"
    assert item["start"].endswith(("+01:00", "+02:00"))
    assert "lea@example.org" not in response.content.decode() and "Léa" not in response.content.decode()


def test_api_filters_match_the_calendar(client, make_occurrence):
    make_occurrence(kind="balade", title="Balade")
    make_occurrence(kind="atelier", title="Atelier", capacity=1)
    assert [r["title"] for r in client.get(API, {"kind": "balade"}).json()["results"]] == ["Balade"]
    full = client.get(API, {"kind": "atelier"}).json()["results"][0]
    assert full["seats_left"] == 1


def test_api_invalid_parameter_is_a_french_400(client, agenda):
    for params in ({"kind": "piscine"}, {"date_from": "demain"}, {"theme": "inconnu"}, {"page": "x"}):
        response = client.get(API, params)
        assert response.status_code == 400
        assert response.json()["error"].startswith(("Paramètre invalide", "Le paramètre"))


def test_api_query_count_is_constant(client, make_occurrence, django_assert_max_num_queries):
    make_occurrence()
    with django_assert_max_num_queries(15) as few:
        client.get(API)
    for _ in range(6):
        make_occurrence()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(API).json()["count"] == 7
