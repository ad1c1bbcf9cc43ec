import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from demarches.permits import choices, services
from demarches.permits.models import PermitRequest
from demarches.permits.tokens import follow_url, make_token

FORM_URL = "/permis-de-vegetaliser/demande/"


def post_data(support, **overrides):
    values = {"applicant_kind": "particulier", "name": "Camille Martin", "email": "camille@example.org",
              "address": "12 rue du Moulin", "support_type": support.pk, "description": "Des vivaces.",
              "latitude": "47.392300", "longitude": "0.690400", "charter_accepted": "on", "consent": "on",
              "submission_key": "k1"}
    values.update(overrides)
    return values


def test_campaign_page_shows_charter_supports_and_form_link(client, campaign, support):
    response = client.get(campaign.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Passage de 1,40 m." in html and "Pied d&#x27;arbre" in html
    assert FORM_URL in html


def test_form_works_without_javascript_and_redirects_to_follow_page(client, campaign, support, photo):
    response = client.get(FORM_URL)
    assert response.status_code == 200 and 'name="submission_key"' in response.content.decode()
    data = post_data(support, latitude="", longitude="", photos=[photo()])
    response = client.post(FORM_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    permit = PermitRequest.objects.get()
    assert permit.latitude is None and permit.commune.slug == "villeneuve"
    follow = client.get(response["Location"])
    assert follow.status_code == 200 and permit.reference in follow.content.decode()
    assert follow["X-Robots-Tag"] == "noindex, nofollow"
    stored = permit.photos.get()
    with stored.file.open("rb") as handle, Image.open(handle) as image:
        assert not image.getexif()  # EXIF (GPS, maker) stripped


def test_double_submit_gives_one_request(client, campaign, support):
    first = client.post(FORM_URL, post_data(support))
    second = client.post(FORM_URL, post_data(support))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert PermitRequest.objects.count() == 1


@pytest.mark.parametrize("overrides, message", [
    ({"name": ""}, "Ce champ est obligatoire."),
    ({"email": "pas-une-adresse"}, "Cette adresse e-mail n&#x27;est pas valide."),
    ({"charter_accepted": ""}, "Acceptez la charte"),
    ({"support_type": "999"}, "Choisissez un type de support"),
    ({"latitude": "48.9", "longitude": "2.35"}, "en dehors des communes desservies"),
    ({"latitude": "abc", "longitude": "0.69"}, "illisible"),
    ({"applicant_kind": "association"}, "Choisissez l&#x27;association"),
    ({"applicant_kind": "ecole"}, "Indiquez le nom de la structure."),
])
def test_bad_input_is_a_french_message_and_nothing_written(client, campaign, support, overrides, message):
    response = client.post(FORM_URL, post_data(support, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PermitRequest.objects.exists()


def test_huge_or_non_image_photo_is_refused(client, campaign, support, settings):
    fake = SimpleUploadedFile("photo.jpg", b"MZ this is not an image", content_type="image/jpeg")
    response = client.post(FORM_URL, post_data(support, photos=[fake]))
    assert response.status_code == 400 and "n&#x27;est pas une image lisible" in response.content.decode()
    settings.PERMIT_PHOTO_MAX_BYTES = 100
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), "red").save(buffer, format="PNG")
    big = SimpleUploadedFile("grande.png", buffer.getvalue(), content_type="image/png")
    response = client.post(FORM_URL, post_data(support, photos=[big]))
    assert response.status_code == 400 and "dépasse" in response.content.decode()
    assert not PermitRequest.objects.exists()


def test_four_photos_are_refused(client, campaign, support, photo):
    response = client.post(FORM_URL, post_data(support, photos=[photo(f"p{i}.jpg") for i in range(4)]))
    assert response.status_code == 400 and "Trois photos au plus." in response.content.decode()


def test_outside_the_window_the_form_says_when_it_reopens(client, campaign, support):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    campaign.window_mode = choices.WINDOW_SEASONS
    campaign.spring_opens, campaign.spring_closes = today + datetime.timedelta(days=5), today + datetime.timedelta(days=60)
    campaign.save_revision().publish()
    response = client.get(FORM_URL)
    assert "Le formulaire rouvrira le" in response.content.decode()
    response = client.post(FORM_URL, post_data(support))
    assert response.status_code == 403 and not PermitRequest.objects.exists()


def test_tampered_link_is_a_french_404(client, make_permit):
    permit = make_permit()
    token = make_token(permit)
    tampered = token[:-2] + ("11" if token.endswith("00") else "00")  # never the token itself
    response = client.get(f"/permis-de-vegetaliser/suivi/{tampered}/")
    assert response.status_code == 404 and "pas valable" in response.content.decode()
    assert client.get("/permis-de-vegetaliser/suivi/nimporte-quoi/").status_code == 404


def test_applicant_answers_a_request_for_information(client, make_permit, instructor, photo):
    permit = make_permit()
    services.request_information(permit.pk, instructor, "Précisez l'espèce.")
    url = follow_url(permit)
    page = client.get(url).content.decode()
    assert "Précisez l&#x27;espèce." in page
    response = client.post(url, {"action": "answer", "answer": "Des bleuets.", "photos": [photo()]})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.status == choices.INSTRUCTION and permit.photos.count() == 1
    image = client.get(f"{url}photo/{permit.photos.get().pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_api_geojson_and_csv_publish_only_granted_permits_without_names(client, make_permit, other_commune):
    granted, pending = make_permit(address="12 rue du Moulin"), make_permit(address="3 rue Haute")
    PermitRequest.objects.filter(pk=granted.pk).update(status=choices.GRANTED)
    response = client.get("/api/permis/")
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/geo+json"
    assert [feature["properties"]["reference"] for feature in data["features"]] == [granted.reference]
    assert data["features"][0]["properties"]["rue"] == "rue du Moulin"
    assert data["features"][0]["geometry"]["coordinates"] == [0.69, 47.392]
    body = response.content.decode()
    assert "Camille" not in body and "camille@" not in body and "12 rue" not in body
    csv = b"".join(client.get("/api/permis.csv").streaming_content).decode("utf-8")
    assert csv.startswith("\ufeffreference;commune;type_support")
    assert granted.reference in csv and pending.reference not in csv and "Camille" not in csv
    assert json.loads(client.get("/api/permis/?commune=les-pres").content)["features"] == []
    bad = client.get("/api/permis/?commune=inconnue")
    assert bad.status_code == 400 and "Commune inconnue" in json.loads(bad.content)["errors"]["commune"][0]


def test_api_query_count_does_not_grow(client, make_permit, django_assert_max_num_queries):
    for index in range(5):
        PermitRequest.objects.filter(pk=make_permit().pk).update(status=choices.GRANTED)
    with django_assert_max_num_queries(4):
        client.get("/api/permis/")


def test_geocoder_fills_the_point_from_a_local_stand_in(settings, campaign, data):
    import http.server
    import threading

    from demarches.permits.geocoding import geocode

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = json.dumps({"features": [{"geometry": {"coordinates": [0.6901, 47.3921]}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.PERMIT_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/search/"
        point = geocode("12 rue du Moulin")
        assert [float(value) for value in point] == [47.3921, 0.6901]
        settings.PERMIT_GEOCODER_URL = "http://127.0.0.1:9/nowhere/"
        assert geocode("12 rue du Moulin") is None
    finally:
        server.shutdown()
