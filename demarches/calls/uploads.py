"""Checks on uploaded files: size read in chunks (never trusted from headers), type sniffed from content."""

import io
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .choices import ALLOWED_EXTENSIONS, ALLOWED_SIGNATURES

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Windows and Linux executables, scripts: refused whatever their name.
FORBIDDEN_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def max_upload_bytes():
    return getattr(settings, "CALLS_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def check_size(upload):
    """Count the bytes while reading (a client can lie about the size); stop at the limit."""
    limit = max_upload_bytes()
    total = 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise ValidationError(
                _("Le fichier « %(name)s » dépasse la taille maximale de %(limit)s.")
                % {"name": upload.name, "limit": filesizeformat(limit)}, code="too_large",
            )
    upload.seek(0)
    return total


def sniff(upload):
    """The content type the file's first bytes show, or raise ValidationError."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head:
        raise ValidationError(_("Le fichier « %(name)s » est vide.") % {"name": upload.name}, code="empty")
    if head.startswith(FORBIDDEN_SIGNATURES):
        raise ValidationError(_("Le fichier « %(name)s » est un programme, pas un document : il est refusé.")
                              % {"name": upload.name}, code="executable")
    extension = os.path.splitext(upload.name or "")[1].lower()
    for content_type, signatures in ALLOWED_SIGNATURES.items():
        if head.startswith(signatures):
            if extension not in ALLOWED_EXTENSIONS[content_type]:
                raise ValidationError(
                    _("Le contenu du fichier « %(name)s » ne correspond pas à son extension.") % {"name": upload.name},
                    code="mismatch",
                )
            return content_type
    raise ValidationError(
        _("Le type du fichier « %(name)s » n’est pas accepté (PDF, image JPEG ou PNG, document OpenDocument ou "
          "Office).") % {"name": upload.name}, code="type",
    )


def validate_upload(upload):
    """(size, content type) of an acceptable file, or raise ValidationError with a French message."""
    size = check_size(upload)
    return size, sniff(upload)


def clean_photo(upload):
    """A JPEG re-encoded from the pixels only (no EXIF: position, camera), or raise ValidationError."""
    check_size(upload)
    try:
        image = Image.open(upload)
        image.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.width * image.height > 40_000_000:
            raise ValidationError(_("Cette photo est trop grande."), code="too_large")
        image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("Ce fichier n’est pas une photo lisible (JPEG ou PNG)."), code="type")
    image.thumbnail((2000, 2000))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")
