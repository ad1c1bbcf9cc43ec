"""The DCAT-AP catalogue of every open dataset, in JSON-LD, as data.gouv.fr harvests it.

Built from the datasets the apps declare (`biodiversitheque.core.opendata.datasets()`); the publisher, the
contact and the licence come from the site settings; every URL starts with BASE_URL.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.opendata import datasets

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "@language": "fr",
}
FRENCH = "http://publications.europa.eu/resource/authority/language/FRA"
MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
# The EU file-type vocabulary DCAT-AP recommends for dct:format; other formats are written as text.
FILE_TYPES = {"CSV": "CSV", "JSON": "JSON", "GeoJSON": "GEOJSON", "JSON-LD": "JSON_LD", "ZIP": "ZIP",
              "XML": "XML"}
FILE_TYPE_BASE = "http://publications.europa.eu/resource/authority/file-type/"


def _iri(url):
    return {"@id": url}


def _date(moment):
    """xsd:dateTime at Paris time; a provider may also give a plain date."""
    if not isinstance(moment, datetime.datetime):
        return {"@value": moment.isoformat(), "@type": "xsd:date"}
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return {"@value": moment.isoformat(timespec="seconds"), "@type": "xsd:dateTime"}


def _sort_key(moment):
    if not isinstance(moment, datetime.datetime):
        moment = datetime.datetime.combine(moment, datetime.time.max)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def catalogue_url():
    return absolute_url(reverse("opendata_catalogue"))


def publisher(settings):
    return {
        "@id": absolute_url("/#producteur"),
        "@type": ["foaf:Agent", "foaf:Organization"],
        "foaf:name": settings.publisher or _("Biodiversithèque"),
        "foaf:homepage": _iri(absolute_url("/")),
    }


def contact_point(settings):
    contact = {"@type": ["vcard:Kind", "vcard:Organization"], "vcard:fn": settings.site.site_name
               or settings.publisher or _("Biodiversithèque")}
    if settings.email:
        contact["vcard:hasEmail"] = _iri(f"mailto:{settings.email}")
    if settings.phone:
        contact["vcard:hasTelephone"] = _iri(f"tel:{settings.phone.replace(' ', '')}")
    return contact


def distribution_node(dataset, index, distribution, licence):
    url = absolute_url(distribution.path)
    node = {
        "@id": f"{catalogue_url()}#{dataset.key}-{index}",
        "@type": "dcat:Distribution",
        "dct:title": str(distribution.title),
        "dcat:accessURL": _iri(url),
        "dcat:downloadURL": _iri(url),
        "dcat:mediaType": _iri(MEDIA_TYPES + distribution.media_type.split(";")[0].strip()),
        "dct:format": (_iri(FILE_TYPE_BASE + FILE_TYPES[distribution.format])
                       if distribution.format in FILE_TYPES else distribution.format),
        "dct:license": _iri(licence),
    }
    if distribution.conforms_to:
        node["dct:conformsTo"] = _iri(distribution.conforms_to)
    return node


def dataset_node(dataset, settings, landing_default):
    identifier = f"{catalogue_url()}#{dataset.key}"
    licence = settings.open_data_licence
    node = {
        "@id": identifier,
        "@type": "dcat:Dataset",
        "dct:identifier": identifier,
        "dct:title": str(dataset.title),
        "dct:description": str(dataset.description),
        "dct:publisher": publisher(settings),
        "dct:license": _iri(licence),
        "dct:language": _iri(FRENCH),
        "dcat:keyword": [str(keyword) for keyword in dataset.keywords],
        "dcat:contactPoint": contact_point(settings),
        "dcat:landingPage": _iri(absolute_url(dataset.landing_path) if dataset.landing_path else landing_default),
        "dcat:distribution": [distribution_node(dataset, index, distribution, licence)
                              for index, distribution in enumerate(dataset.distributions, start=1)],
    }
    if dataset.modified:
        node["dct:modified"] = _date(dataset.modified)
    schemas = [dataset.conforms_to] if dataset.conforms_to else sorted(
        {item.conforms_to for item in dataset.distributions if item.conforms_to})
    if schemas:
        node["dct:conformsTo"] = [_iri(schema) for schema in schemas]
    return node


def catalogue(settings, open_data_page_url=""):
    """The catalogue as a JSON-LD document (a dict). `open_data_page_url` is the people's page, the landing
    page of datasets that name none of their own."""
    landing = absolute_url(open_data_page_url) if open_data_page_url else absolute_url("/")
    found = [dataset for dataset in datasets() if dataset.distributions]
    modified = [dataset.modified for dataset in found if dataset.modified]
    document = {
        "@context": CONTEXT,
        "@id": catalogue_url(),
        "@type": "dcat:Catalog",
        "dct:title": _("Données ouvertes de %(site)s") % {"site": settings.site.site_name or _("la biodiversithèque")},
        "dct:description": _("Les jeux de données publiés par la biodiversithèque : annuaire des associations, "
                             "agenda, ressources, espèces observées, démarches et prêts."),
        "dct:publisher": publisher(settings),
        "dct:language": _iri(FRENCH),
        "dct:license": _iri(settings.open_data_licence),
        "foaf:homepage": _iri(landing),
        "dcat:dataset": [dataset_node(dataset, settings, landing) for dataset in found],
    }
    if modified:
        document["dct:modified"] = _date(max(modified, key=_sort_key))
    return document
