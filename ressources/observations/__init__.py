"""Observation import from naturalist exports: one module per format, a detector, a shared row validator."""

from .importer import ImportReport, ObservationImportError, import_observations

__all__ = ["ImportReport", "ObservationImportError", "import_observations"]
