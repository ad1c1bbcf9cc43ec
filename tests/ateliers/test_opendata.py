from biodiversitheque.core.opendata import datasets


def test_agenda_datasets_are_registered_and_every_distribution_answers(client, make_event, agenda):
    make_event(title="Balade des mares")
    (dataset,) = [item for item in datasets() if item.key == "agenda"]
    assert dataset.landing_path == agenda.url
    by_type = {distribution.path: distribution for distribution in dataset.distributions}
    assert set(by_type) == {f"{agenda.url}agenda.ics", "/api/agenda/", "/api/agenda/openagenda.json"}
    assert by_type[f"{agenda.url}agenda.ics"].conforms_to == "https://www.rfc-editor.org/rfc/rfc5545"
    for distribution in dataset.distributions:
        assert distribution.title and distribution.path.startswith("/")
        response = client.get(distribution.path)
        assert response.status_code == 200, distribution.path
        assert response["Content-Type"].startswith(distribution.media_type)
        assert b"Balade des mares" in response.content
    assert client.get(dataset.landing_path).status_code == 200


def test_no_dataset_without_a_live_agenda(db):
    assert [item for item in datasets() if item.key == "agenda"] == []
