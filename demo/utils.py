"""Helpers shared by the demo loaders: idempotent pages, snippets, images and documents."""

import io
import math
import random
import tomllib
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import models
from django.utils.html import strip_tags
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.utils.file import hash_filelike

from biodiversitheque.core.sites import shared_image_collection
# Colours per theme slug: (sky top, sky bottom, foreground, accent) and the motif drawn on top.
THEME_STYLES = {
    "mares-et-zones-humides": (("#d8eef2", "#7fb8c4", "#2f6f7e", "#e8c547"), "waves"),
    "eau": (("#e3f1f8", "#8cc3dd", "#2d6a8a", "#f3d36b"), "waves"),
    "haies": (("#eef4dc", "#b8cf8a", "#3f6b2a", "#c0392b"), "leaves"),
    "arbres": (("#e9f2df", "#a9c98b", "#35602a", "#d98c3a"), "leaves"),
    "insectes-et-pollinisateurs": (("#fdf3d7", "#f2c86b", "#6b4f1d", "#e2733b"), "flowers"),
    "oiseaux": (("#e6f0f7", "#a7c7de", "#3d5a73", "#e07b39"), "leaves"),
    "mammiferes": (("#f3ebe0", "#d2b48c", "#5c4630", "#7a9e5a"), "leaves"),
    "sols-et-compost": (("#f1e8dc", "#b99b76", "#4e3b28", "#8bab4f"), "hills"),
    "jardin-nourricier": (("#f0f5df", "#c3d98f", "#4a6b24", "#d9534f"), "flowers"),
    "prairies-et-fleurs-sauvages": (("#f5f7e1", "#cbdc8e", "#58752b", "#b04fa1"), "flowers"),
    "especes-exotiques-envahissantes": (("#f6ecec", "#d9a6a0", "#6e3b36", "#4f7f3a"), "leaves"),
    "sciences-participatives": (("#ebeef8", "#a9b6de", "#39477a", "#f0a93b"), "flowers"),
    "nature-en-ville": (("#e9f0ec", "#a8c4b4", "#35594a", "#e8a33d"), "town"),
    "nuit": (("#1d2545", "#3d4a7a", "#0f1429", "#f4e9a3"), "night"),
}
DEFAULT_STYLE = THEME_STYLES["nature-en-ville"]


def read_data(path):
    """Load a TOML data file shipped with the code."""
    with Path(path).open("rb") as handle:
        return tomllib.load(handle)


# ---------------------------------------------------------------- pages


def save_page(parent, model, slug, values, m2m=None, children=None):
    """Create or update the child `slug` of `parent`; publish only when something changed.

    Returns (page, status), status being "created", "updated" or "unchanged".
    """
    existing = Page.objects.child_of(parent).filter(slug=slug).first()
    if existing is None:
        page = model(slug=slug)
        _assign(page, values, m2m, children)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page, "created"
    if existing.specific_class is not model:
        raise ImproperlyConfigured(
            f"La page « {existing.url_path} » existe déjà avec un autre type ({existing.specific_class.__name__})."
        )
    return update_page(existing.specific, values, m2m, children)


def update_page(page, values=None, m2m=None, children=None):
    """Apply field values to a page; save and publish a revision only if they differ from the live ones."""
    values, m2m, children = values or {}, m2m or {}, children or {}
    before = _snapshot(page, values, m2m, children)
    _assign(page, values, m2m, children)
    if page.live and not page.has_unpublished_changes and before == _snapshot(page, values, m2m, children):
        return page, "unchanged"
    page.save_revision().publish()
    return page, "updated"


def _assign(page, values, m2m, children):
    for name, value in values.items():
        setattr(page, name, value)
    for name, objects in (m2m or {}).items():
        getattr(page, name).set(objects)
    for name, rows in (children or {}).items():
        related_model = page._meta.get_field(name).related_model
        setattr(page, name, [related_model(**row) for row in rows])


def _snapshot(instance, values, m2m, children):
    """Comparable values of the given fields (stream block ids and child primary keys left out)."""
    data = {name: _field_value(instance, name) for name in values}
    for name in m2m:
        data[name] = sorted(obj.pk for obj in getattr(instance, name).all())
    for name, rows in children.items():
        keys = sorted({key for row in rows for key in row})
        items = [tuple(_field_value(child, key) for key in keys) for child in getattr(instance, name).all()]
        data[name] = sorted(items, key=repr)
    return data


def _field_value(instance, name):
    field = instance._meta.get_field(name)
    if isinstance(field, StreamField):
        return [(child.block_type, child.block.get_prep_value(child.value)) for child in getattr(instance, name)]
    if isinstance(field, models.ForeignKey):
        return getattr(instance, field.attname)
    return field.to_python(getattr(instance, field.attname))


# ---------------------------------------------------------------- snippets and plain models


def save_object(model, lookup, values, m2m=None):
    """Get or create `model` by its natural key `lookup`, update changed fields and many-to-many sets.

    Returns (obj, status) with status "created", "updated" or "unchanged".
    """
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    before = None if created else _snapshot(obj, values, m2m or {}, {})
    for name, value in values.items():
        setattr(obj, name, value)
    for name, objects in (m2m or {}).items():
        getattr(obj, name).set(objects)
    if not created and before == _snapshot(obj, values, m2m or {}, {}):
        return obj, "unchanged"
    obj.full_clean()
    obj.save()
    return obj, "created" if created else "updated"


def count_statuses(statuses):
    """'3 créées, 1 mise à jour' style summary of save statuses."""
    labels = {"created": "créé(s)", "updated": "mis à jour", "unchanged": "inchangé(s)"}
    parts = [f"{statuses.count(key)} {label}" for key, label in labels.items() if statuses.count(key)]
    return ", ".join(parts) or "rien"


# ---------------------------------------------------------------- rich text


def rich_text(text):
    """HTML snippets are kept; plain paragraphs separated by blank lines become <p> elements."""
    text = (text or "").strip()
    if not text or text.startswith("<"):
        return text
    return "".join(f"<p>{paragraph.strip()}</p>" for paragraph in text.split("\n\n") if paragraph.strip())


def sections_to_blocks(sections):
    """[{heading, text, kind}] from a data file -> raw StreamField data for body_blocks()."""
    stream = []
    for section in sections or []:
        if section.get("kind") in {"info", "tip", "warning"}:
            stream.append(
                {
                    "type": "callout",
                    "value": {
                        "kind": section["kind"],
                        "title": section.get("heading", ""),
                        "text": rich_text(section["text"]),
                    },
                }
            )
            continue
        if section.get("heading"):
            stream.append({"type": "heading", "value": {"text": section["heading"], "level": "h2"}})
        if section.get("text"):
            stream.append({"type": "paragraph", "value": rich_text(section["text"])})
    return stream


def plain_text(html):
    """Readable text from a rich text snippet, for generated plain-text documents."""
    html = html.replace("</p>", "\n").replace("<li>", "- ").replace("</li>", "\n").replace("<br>", "\n")
    return "\n".join(line.strip() for line in strip_tags(html).splitlines() if line.strip())


# ---------------------------------------------------------------- images and documents


def demo_image(title, key, theme_slug=None, motif=None, size=(1200, 800), description=""):
    """The Wagtail image titled `title`, drawn with Pillow the first time (deterministic from `key`)."""
    image_model = get_image_model()
    image = image_model.objects.filter(title=title).first()
    if image is not None:
        return image
    palette, default_motif = THEME_STYLES.get(theme_slug or "", DEFAULT_STYLE)
    picture = draw_landscape(key, palette, motif or default_motif, size)
    return _store_image(image_model, title, key, picture, description)


def demo_logo(title, key, initials, theme_slug=None):
    """A round badge with initials and a leaf, used as association logo."""
    image_model = get_image_model()
    image = image_model.objects.filter(title=title).first()
    if image is not None:
        return image
    palette, _motif = THEME_STYLES.get(theme_slug or "", DEFAULT_STYLE)
    picture = draw_logo(key, palette, initials)
    return _store_image(image_model, title, key, picture, "")


def _store_image(image_model, title, key, picture, description):
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    # Shared, so that association members can choose the demo pictures too.
    image = image_model(title=title, description=description, collection=shared_image_collection())
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"demo-{key}.png")
    image.file_size = len(buffer.getvalue())
    image.file_hash = hash_filelike(io.BytesIO(buffer.getvalue()))
    image.save()
    return image


def demo_document(title, filename, text):
    """The Wagtail document titled `title`; its file is (re)written only when `text` changed."""
    document_model = get_document_model()
    content = text.encode("utf-8")
    file_hash = hash_filelike(io.BytesIO(content))
    document = document_model.objects.filter(title=title).first()
    if document is not None and document.file_hash == file_hash:
        return document
    document = document or document_model(title=title)
    document.file = ContentFile(content, name=filename)
    document.file_size = len(content)
    document.file_hash = file_hash
    document.save()
    return document


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def _leaf(draw, rng, cx, cy, length, angle, colour):
    """A leaf: two arcs meeting at the tip, drawn as a polygon, with its midrib."""
    points_left, points_right = [], []
    width = length * rng.uniform(0.28, 0.4)
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    for step in range(21):
        t = step / 20
        along = t * length
        half = math.sin(math.pi * t) * width / 2
        for sign, bucket in ((1, points_left), (-1, points_right)):
            x = cx + along * cos_a - sign * half * sin_a
            y = cy + along * sin_a + sign * half * cos_a
            bucket.append((x, y))
    draw.polygon(points_left + points_right[::-1], fill=colour)
    tip = (cx + length * cos_a, cy + length * sin_a)
    draw.line([(cx, cy), tip], fill=_mix(colour, (255, 255, 255), 0.35), width=max(1, int(length / 40)))


def draw_landscape(key, palette, motif, size):
    """A calm illustration: sky gradient, sun or moon, rolling hills, and a motif in the foreground."""
    rng = random.Random(key)
    width, height = size
    top, bottom, ground, accent = (_hex(c) for c in palette)
    picture = PILImage.new("RGB", size, top)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_mix(top, bottom, y / height))
    # Sun (or moon), somewhere in the upper third.
    radius = rng.randint(height // 12, height // 8)
    sun_x, sun_y = rng.randint(width // 8, width * 7 // 8), rng.randint(height // 8, height // 3)
    draw.ellipse([sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=_mix(accent, top, 0.25))
    if motif == "night":
        for _ in range(70):
            x, y = rng.randint(0, width), rng.randint(0, height // 2)
            r = rng.choice((1, 1, 2, 3))
            draw.ellipse([x - r, y - r, x + r, y + r], fill=(250, 246, 220))
    # Three layers of hills, lighter far away.
    for layer in range(3):
        base = height * (0.55 + 0.13 * layer)
        amplitude = height * rng.uniform(0.03, 0.07)
        phase, frequency = rng.uniform(0, math.tau), rng.uniform(1.2, 2.6)
        colour = _mix(ground, bottom, 0.55 - 0.25 * layer)
        if layer == 2 and motif in {"town", "night"}:  # houses behind the front hill
            _houses(draw, rng, width, height, _mix(ground, top, 0.35 if motif == "town" else 0.15))
        outline = [
            (x, base + amplitude * math.sin(phase + frequency * math.tau * x / width)) for x in range(0, width + 20, 20)
        ]
        draw.polygon(outline + [(width, height), (0, height)], fill=colour)
    if motif == "waves":
        for row in range(6):
            y0 = height * 0.78 + row * height * 0.035
            colour = _mix(_hex("#ffffff"), bottom, 0.3 + row * 0.1)
            points = [(x, y0 + 6 * math.sin(x / 28 + row)) for x in range(0, width + 10, 10)]
            draw.line(points, fill=colour, width=4)
    elif motif == "flowers":
        for _ in range(26):
            x, y = rng.randint(0, width), rng.randint(int(height * 0.7), height)
            petal = rng.randint(height // 80, height // 40)
            colour = rng.choice([accent, _mix(accent, (255, 255, 255), 0.4), (250, 250, 245)])
            draw.line([(x, y), (x, y + petal * 4)], fill=ground, width=3)
            for k in range(6):
                angle = k * math.tau / 6
                px, py = x + petal * math.cos(angle), y + petal * math.sin(angle)
                draw.ellipse([px - petal * 0.8, py - petal * 0.8, px + petal * 0.8, py + petal * 0.8], fill=colour)
            draw.ellipse([x - petal * 0.6, y - petal * 0.6, x + petal * 0.6, y + petal * 0.6], fill=(240, 200, 60))
    elif motif in {"leaves", "hills", "town", "night"}:
        count = 14 if motif == "leaves" else 7
        for _ in range(count):
            x, y = rng.randint(0, width), rng.randint(int(height * 0.72), height)
            length = rng.randint(height // 10, height // 5)
            angle = rng.uniform(-math.pi * 0.85, -math.pi * 0.15)
            colour = _mix(ground, accent, rng.uniform(0, 0.25)) if motif != "night" else _mix(ground, top, 0.5)
            _leaf(draw, rng, x, y, length, angle, colour)
    return picture


def _houses(draw, rng, width, height, colour):
    """A row of simple house silhouettes on the horizon: nature in town."""
    x = rng.randint(0, width // 10)
    while x < width:
        house_width = rng.randint(width // 14, width // 8)
        house_height = rng.randint(height // 10, height // 5)
        base = height * 0.74
        draw.rectangle([x, base - house_height, x + house_width, base + 20], fill=colour)
        draw.polygon(
            [(x - 6, base - house_height), (x + house_width / 2, base - house_height - house_width * 0.45),
             (x + house_width + 6, base - house_height)],
            fill=colour,
        )
        x += house_width + rng.randint(width // 40, width // 6)


def draw_logo(key, palette, initials):
    """Round badge: coloured disc, a leaf, the initials in white."""
    rng = random.Random(key)
    size = 400
    top, bottom, ground, accent = (_hex(c) for c in palette)
    picture = PILImage.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    draw.ellipse([10, 10, size - 10, size - 10], fill=ground)
    draw.ellipse([28, 28, size - 28, size - 28], outline=_mix(bottom, (255, 255, 255), 0.3), width=6)
    _leaf(draw, rng, size * 0.36, size * 0.8, size * 0.3, -math.pi / 8, _mix(accent, (255, 255, 255), 0.15))
    font = ImageFont.load_default(size=110 if len(initials) < 3 else 86)
    draw.text((size / 2, size * 0.45), initials, fill=(255, 255, 255), font=font, anchor="mm")
    return picture


def initials_of(name):
    """'Les Amis des Mares' -> 'AM'."""
    small = {"les", "des", "du", "de", "la", "le", "et", "d", "l", "&", "cie", "aux", "ici"}
    words = [w for w in name.replace("'", " ").replace("’", " ").split() if w.lower() not in small]
    return "".join(word[0].upper() for word in words[:3]) or name[:2].upper()
