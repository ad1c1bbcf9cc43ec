"""Recognise an export format by its headers."""

from biodiversitheque.core.csvio import CsvError

from .formats import FORMATS


def detect_format(headers):
    """The format module whose distinctive columns the file has most of; a French error if none."""
    scores = sorted(((module.score(headers), index, module) for index, module in enumerate(FORMATS)),
                    key=lambda item: (-item[0], item[1]))
    best_score, _index, best = scores[0]
    if best_score < 2:
        expected = " ; ".join(f"{module.LABEL} : {module.COLUMNS}" for module in FORMATS)
        raise CsvError(f"format non reconnu d'après les en-têtes de colonnes. Formats acceptés — {expected}.")
    return best
