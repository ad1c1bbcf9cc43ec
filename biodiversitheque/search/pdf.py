"""Text of attached PDF documents, for the search index (cached by file hash: extraction is slow)."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)
MAX_PAGES = 60
MAX_CHARS = 50_000


def document_text(document):
    """Plain text of a Wagtail document if it is a PDF, '' otherwise or if it cannot be read."""
    if not document or document.file_extension.lower() != "pdf":
        return ""
    cache_key = f"sitesearch:pdf:{document.file_hash or document.pk}"
    text = cache.get(cache_key)
    if text is None:
        text = _extract(document)
        if document.file_hash:
            cache.set(cache_key, text, 60 * 60 * 24 * 30)
    return text


def _extract(document):
    from pypdf import PdfReader

    try:
        with document.open_file() as handle:
            reader = PdfReader(handle)
            parts, size = [], 0
            for page in reader.pages[:MAX_PAGES]:
                chunk = page.extract_text() or ""
                parts.append(chunk)
                size += len(chunk)
                if size > MAX_CHARS:
                    break
        return " ".join(" ".join(parts).split())[:MAX_CHARS]
    except Exception:  # a damaged or encrypted PDF is skipped, the page is still indexed
        logger.warning("Recherche : texte illisible dans le document %s", document.pk, exc_info=True)
        return ""
