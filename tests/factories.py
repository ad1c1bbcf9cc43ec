"""Factories with sensible French defaults; every field can be overridden by keyword."""

import datetime

import factory
import wagtail_factories
from django.utils.text import slugify

from associations.models import Association
from biodiversitheque.core.models import Audience, Theme
from ressources.models import GuidePage, InventoryPage, Observation, TrainingPage


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Public {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ResourcePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Ressource {n}")
    summary = "Un résumé de quelques mots pour la liste."

    class Meta:
        abstract = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if extracted:
            self.themes.set(extracted)
            self.save()

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if extracted:
            self.audiences.set(extracted)
            self.save()


class GuidePageFactory(ResourcePageFactory):
    class Meta:
        model = GuidePage

    title = factory.Sequence(lambda n: f"Guide {n}")
    difficulty = "facile"
    duration = "Une demi-journée"


class InventoryPageFactory(ResourcePageFactory):
    class Meta:
        model = InventoryPage

    title = factory.Sequence(lambda n: f"Inventaire {n}")
    place = "Parc des Tilleuls"
    period_start = datetime.date(2025, 3, 1)


class TrainingPageFactory(ResourcePageFactory):
    class Meta:
        model = TrainingPage

    title = factory.Sequence(lambda n: f"Formation {n}")
    objectives = "<p>Comprendre la trame verte et bleue.</p>"
    duration = "1 jour"


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    scientific_name = "Erinaceus europaeus"
    vernacular_name = "Hérisson d'Europe"
    cd_nom = 60015
    taxon_group = "mammiferes"
    is_protected = True
    count = 1
    observed_on = datetime.date(2025, 5, 12)


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    summary = "Une association qui agit pour la nature."
    city = "Villeneuve"

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if extracted:
            self.themes.set(extracted)


class EventPageFactory(wagtail_factories.PageFactory):
    """An event page (agenda); call ateliers.services.sync_occurrences(event) to create its dates."""

    class Meta:
        model = "ateliers.EventPage"

    title = factory.Sequence(lambda n: f"Atelier {n}")
    summary = "Un atelier pour découvrir la nature de la commune."
    kind = "atelier"
    place_name = "La Grange aux Savoirs"
    address = "4 rue des Tilleuls"
    postal_code = "37000"
    city = "Villeneuve-la-Verte"
    first_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
    start_time = datetime.time(14, 0)
    duration_minutes = 120
    capacity = 10
    max_places_per_registration = 4
    registration_opens_days = None
    registration_closes_hours = 2
