"""Darwin Core Archive (DwC-A): the occurrence table of ressources.darwincore with its meta.xml and eml.xml.

The zip is written to a spooled temporary file (memory up to SPOOL_BYTES, disk beyond), its occurrence.txt
row by row, so memory stays flat however many observations. The EML coverage (bounding box, first and last
date) is gathered while writing the rows, from the coordinates as published (blurred ones included).
"""

import tempfile
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.utils import timezone
from django.utils.translation import gettext as _

from biodiversitheque.core.csvio import EXCHANGE, csv_lines

from .darwincore import DWC_TERMS, dataset_settings, darwin_core_rows, term_uri

SPOOL_BYTES = 8 << 20
OCCURRENCE_ROW_TYPE = "http://rs.tdwg.org/dwc/terms/Occurrence"
EML_NAMESPACE = "https://eml.ecoinformatics.org/eml-2.2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LICENSE_NAMES = {
    "http://creativecommons.org/licenses/by/4.0/legalcode": "Creative Commons Attribution 4.0 (CC BY 4.0)",
    "https://creativecommons.org/licenses/by/4.0/legalcode": "Creative Commons Attribution 4.0 (CC BY 4.0)",
    "https://www.etalab.gouv.fr/licence-ouverte-open-licence/": "Licence Ouverte / Open Licence 2.0 (Etalab)",
    "http://creativecommons.org/publicdomain/zero/1.0/legalcode": "CC0 1.0",
}


@dataclass(frozen=True)
class ArchiveMetadata:
    """What eml.xml says of the dataset besides its coverage."""

    identifier: str
    title: str
    abstract: str
    url: str


class Coverage:
    """Bounding box and dates of the rows written, read from the rows themselves."""

    def __init__(self):
        self.south = self.north = self.west = self.east = None
        self.first = self.last = None
        self.count = 0
        self._columns = {term: DWC_TERMS.index(term) for term in ("eventDate", "decimalLatitude",
                                                                     "decimalLongitude")}

    def watch(self, rows):
        for row in rows:
            self.count += 1
            observed_on = row[self._columns["eventDate"]]
            self.first = observed_on if self.first is None else min(self.first, observed_on)
            self.last = observed_on if self.last is None else max(self.last, observed_on)
            latitude, longitude = row[self._columns["decimalLatitude"]], row[self._columns["decimalLongitude"]]
            if latitude != "" and longitude != "":
                self.south = latitude if self.south is None else min(self.south, latitude)
                self.north = latitude if self.north is None else max(self.north, latitude)
                self.west = longitude if self.west is None else min(self.west, longitude)
                self.east = longitude if self.east is None else max(self.east, longitude)
            yield row

    @property
    def has_box(self):
        return self.south is not None


def meta_xml():
    """The archive descriptor: one core file, UTF-8, comma-separated, a header line, occurrenceID as id."""
    archive = ElementTree.Element("archive", {"xmlns": "http://rs.tdwg.org/dwc/text/",
                                              "metadata": "eml.xml"})
    core = ElementTree.SubElement(archive, "core", {
        "encoding": "UTF-8", "fieldsTerminatedBy": ",", "linesTerminatedBy": "\\r\\n",
        "fieldsEnclosedBy": '"', "ignoreHeaderLines": "1", "rowType": OCCURRENCE_ROW_TYPE,
    })
    files = ElementTree.SubElement(core, "files")
    ElementTree.SubElement(files, "location").text = "occurrence.txt"
    ElementTree.SubElement(core, "id", {"index": "0"})
    for index, term in enumerate(DWC_TERMS):
        ElementTree.SubElement(core, "field", {"index": str(index), "term": term_uri(term)})
    return _xml_bytes(archive)


def eml_xml(metadata, coverage, dataset, contact_email, published_on=None):
    """EML 2.2 metadata: title, abstract, licence, publisher, contact, geographic and temporal coverage."""
    ElementTree.register_namespace("eml", EML_NAMESPACE)
    root = ElementTree.Element(f"{{{EML_NAMESPACE}}}eml", {
        "packageId": metadata.identifier, "system": dataset["host"], XML_LANG: "fra",
    })
    node = ElementTree.SubElement(root, "dataset")
    ElementTree.SubElement(node, "alternateIdentifier").text = metadata.url
    ElementTree.SubElement(node, "title", {XML_LANG: "fra"}).text = metadata.title
    organisation = dataset["institution"]
    for role in ("creator", "metadataProvider"):
        party = ElementTree.SubElement(node, role)
        ElementTree.SubElement(party, "organizationName").text = organisation
        if contact_email:
            ElementTree.SubElement(party, "electronicMailAddress").text = contact_email
        ElementTree.SubElement(party, "onlineUrl").text = metadata.url
    ElementTree.SubElement(node, "pubDate").text = (published_on or timezone.localdate()).isoformat()
    ElementTree.SubElement(node, "language").text = "fra"
    abstract = ElementTree.SubElement(node, "abstract")
    ElementTree.SubElement(abstract, "para").text = metadata.abstract or metadata.title
    rights = ElementTree.SubElement(node, "intellectualRights")
    para = ElementTree.SubElement(rights, "para")
    para.text = _("Ces données sont publiées sous la licence ")
    link = ElementTree.SubElement(para, "ulink", {"url": dataset["license"]})
    ElementTree.SubElement(link, "citetitle").text = LICENSE_NAMES.get(dataset["license"], dataset["license"])
    link.tail = "."
    ElementTree.SubElement(ElementTree.SubElement(node, "distribution"), "online").append(
        _element("url", metadata.url, {"function": "information"})
    )
    _coverage(node, coverage, dataset)
    for role in ("contact", "publisher"):
        party = ElementTree.SubElement(node, role)
        ElementTree.SubElement(party, "organizationName").text = organisation
        if contact_email:
            ElementTree.SubElement(party, "electronicMailAddress").text = contact_email
    return _xml_bytes(root)


def _coverage(node, coverage, dataset):
    if not (coverage.has_box or coverage.first):
        return
    element = ElementTree.SubElement(node, "coverage")
    if coverage.has_box:
        geographic = ElementTree.SubElement(element, "geographicCoverage")
        place = dataset["town"] or _("Commune")
        ElementTree.SubElement(geographic, "geographicDescription").text = place
        box = ElementTree.SubElement(geographic, "boundingCoordinates")
        for name, value in (("westBoundingCoordinate", coverage.west), ("eastBoundingCoordinate", coverage.east),
                            ("northBoundingCoordinate", coverage.north),
                            ("southBoundingCoordinate", coverage.south)):
            ElementTree.SubElement(box, name).text = format(value, "f")
    if coverage.first:
        temporal = ElementTree.SubElement(ElementTree.SubElement(element, "temporalCoverage"), "rangeOfDates")
        for name, value in (("beginDate", coverage.first), ("endDate", coverage.last)):
            ElementTree.SubElement(ElementTree.SubElement(temporal, name), "calendarDate").text = value.isoformat()


def _element(tag, text, attributes=None):
    element = ElementTree.Element(tag, attributes or {})
    element.text = text
    return element


def _xml_bytes(root):
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def write_archive(observations, metadata, request=None, contact_email=""):
    """A spooled file holding the zip, rewound; the caller closes it (FileResponse does)."""
    dataset = dataset_settings(request)
    coverage = Coverage()
    rows = darwin_core_rows(observations, request)
    header = next(rows)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 — closed by the response
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("occurrence.txt", "w") as occurrences:
            for line in csv_lines(header, coverage.watch(rows), EXCHANGE):
                occurrences.write(line.encode("utf-8"))
        archive.writestr("meta.xml", meta_xml())
        archive.writestr("eml.xml", eml_xml(metadata, coverage, dataset, contact_email))
    spool.seek(0)
    return spool
