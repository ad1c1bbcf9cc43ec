import datetime

import pytest
from django.utils import timezone
from django.utils.text import slugify

from prets.models import Borrower, LendingCatalogPage, LendingPoint, OpeningHours, ThingPage, Unit


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def point(db):
    """Open every day but Sunday."""
    point = LendingPoint.objects.create(name="La Grange aux Savoirs", address="4 rue des Tilleuls")
    for weekday in range(6):
        OpeningHours.objects.create(point=point, weekday=weekday, opens=datetime.time(10), closes=datetime.time(18))
    return point


@pytest.fixture
def catalogue(home_page):
    page = LendingCatalogPage(title="Outilthèque", slug="outilotheque")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def make_thing(catalogue, point):
    def make(title="Sécateur", units=1, slug=None, **values):
        values.setdefault("category", "outils")
        values.setdefault("loan_days", 14)
        thing = ThingPage(title=title, slug=slug or slugify(title), **values)
        catalogue.add_child(instance=thing)
        thing.save_revision().publish()
        for number in range(units):
            Unit.objects.create(thing=thing, lending_point=point, code=f"{thing.slug}-{number + 1}")
        return ThingPage.objects.get(pk=thing.pk)

    return make


@pytest.fixture
def thing(make_thing):
    return make_thing()


@pytest.fixture
def make_borrower(db):
    counter = iter(range(1, 1000))

    def make(name=None, **values):
        number = next(counter)
        return Borrower.objects.create(name=name or f"Personne {number}", email=f"personne{number}@example.org",
                                       consent_at=timezone.now(), **values)

    return make


@pytest.fixture
def borrower(make_borrower):
    return make_borrower("Camille Martin")


def open_day(point, start, skip=0):
    """The first opening day of `point` on or after start (+ skip days)."""
    return point.next_open_day(start + datetime.timedelta(days=skip))
