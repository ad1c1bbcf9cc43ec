import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from demarches.permits import choices, services
from demarches.permits.models import Charter, Commune, GreeningCampaignPage, SupportType
from demarches.permits.roles import ensure_roles


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PERMIT_GEOCODER_URL = ""


@pytest.fixture
def commune(db):
    return Commune.objects.create(name="Villeneuve", slug="villeneuve", is_default=True,
                                  min_latitude=Decimal("47.37"), max_latitude=Decimal("47.41"),
                                  min_longitude=Decimal("0.65"), max_longitude=Decimal("0.71"),
                                  contact_email="services@villeneuve.example.org")


@pytest.fixture
def other_commune(db):
    return Commune.objects.create(name="Les Prés", slug="les-pres", min_latitude=Decimal("47.42"),
                                  max_latitude=Decimal("47.44"), min_longitude=Decimal("0.65"),
                                  max_longitude=Decimal("0.71"))


@pytest.fixture
def charter(db):
    return Charter.objects.create(version="1", clauses="Espèces locales seulement.\nPas de pesticide.\nPassage de 1,40 m.")


@pytest.fixture
def support(db):
    return SupportType.objects.create(name="Pied d'arbre", slug="pied-d-arbre", rules="Sans creuser.")


@pytest.fixture
def campaign(home_page, charter, commune, support):
    page = GreeningCampaignPage(title="Permis de végétaliser", slug="permis-de-vegetaliser", charter=charter,
                                summary="Demandez votre permis.")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return GreeningCampaignPage.objects.get(pk=page.pk)


@pytest.fixture
def roles(db):
    return ensure_roles()


def make_user(username, *groups, superuser=False):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.org", password="x",
                                                is_superuser=superuser, is_staff=superuser)
    for group in groups:
        user.groups.add(group)
    return user


@pytest.fixture
def instructor(roles):
    return make_user("instructeur", roles[choices.INSTRUCTORS_GROUP])


@pytest.fixture
def decider(roles):
    return make_user("signataire", roles[choices.DECISION_GROUP])


@pytest.fixture
def service_agents(roles):
    return {code: make_user(f"agent-{code}", roles[choices.service_group_name(code)]) for code, _l in choices.services()}


@pytest.fixture
def data(commune, support):
    def build(**overrides):
        values = {"commune": commune, "support_type": support, "applicant_kind": "particulier", "association": None,
                  "organisation": "", "name": "Camille Martin", "email": "camille@example.org", "phone": "",
                  "address": "12 rue du Moulin", "latitude": Decimal("47.392300"), "longitude": Decimal("0.690400"),
                  "description": "Semer des vivaces."}
        values.update(overrides)
        return values
    return build


@pytest.fixture
def make_permit(campaign, data):
    def make(**overrides):
        permit, _created = services.submit_request(campaign, data(**overrides))
        return permit
    return make


def jpeg_with_gps(size=(40, 30)):
    image = Image.new("RGB", size, "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {2: (47.0, 23.0, 0.0), 1: "N"}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def photo():
    return lambda name="lieu.jpg": SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")


def move_clock(monkeypatch, days):
    moved = timezone.now() + datetime.timedelta(days=days)
    monkeypatch.setattr(timezone, "now", lambda: moved)
    return timezone.localdate(moved)
