"""The export formats the importer recognises, most specific first."""

from . import darwincore, geonature, inaturalist

FORMATS = [darwincore, inaturalist, geonature]
