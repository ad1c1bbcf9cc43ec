"""The associations directory as open data (CSV and JSON), and its entry in the core catalogue.

Only what the public directory already shows: name, summary, themes, public contacts, address and point. The
members and their accounts are never exported."""

from django.urls import reverse
from django.utils.translation import gettext as _

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.csvio import EXCHANGE, csv_response
from biodiversitheque.core.opendata import Dataset, Distribution
from biodiversitheque.search.registry import join_text

from .models import Association, AssociationIndexPage

FIELDS = ("identifiant", "nom", "presentation", "themes", "adresse", "code_postal", "commune", "latitude",
          "longitude", "site_internet", "courriel", "telephone", "page")


def public_associations():
    return Association.objects.prefetch_related("themes").order_by("name")


def association_record(association, directory_url):
    return {
        "identifiant": association.slug,
        "nom": association.name,
        "presentation": association.summary or join_text([association.description]),
        "themes": [theme.name for theme in association.themes.all()],
        "adresse": association.address,
        "code_postal": association.postal_code,
        "commune": association.city,
        "latitude": float(association.latitude) if association.latitude is not None else None,
        "longitude": float(association.longitude) if association.longitude is not None else None,
        "site_internet": association.website,
        "courriel": association.email,
        "telephone": association.phone,
        "page": absolute_url(f"{directory_url}{association.slug}/") if directory_url else "",
    }


def records(request=None):
    directory_url = AssociationIndexPage.directory_url(request)
    return [association_record(association, directory_url) for association in public_associations()]


def csv_export(request=None):
    rows = ([("; ".join(value) if isinstance(value, list) else value) for value in item.values()]
            for item in records(request))
    return csv_response("associations.csv", list(FIELDS), rows, dialect=EXCHANGE)


def json_export(request=None):
    found = records(request)
    return {"count": len(found), "results": found}


def datasets():
    directory = AssociationIndexPage.objects.live().public().first()
    if directory is None:
        return []
    return [Dataset(
        key="associations",
        title=_("Annuaire des associations"),
        description=_("Les associations qui agissent pour la nature dans la commune : présentation, thèmes, "
                      "contacts publics, adresse et coordonnées géographiques (WGS 84)."),
        distributions=[
            Distribution(_("Annuaire des associations (CSV)"), reverse("associations_csv"), "text/csv"),
            Distribution(_("Annuaire des associations (JSON)"), reverse("associations_json"), "application/json"),
        ],
        modified=directory.last_published_at,
        keywords=(_("associations"), _("biodiversité"), _("annuaire"), _("vie associative")),
        landing_path=directory.url or "",
    )]
