import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models import Occurrence

register = template.Library()

# Same escaping as Django's json_script, which only writes type="application/json".
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(value):
    if not value:
        return ""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308


@register.inclusion_tag("ateliers/includes/association_events.html", takes_context=True)
def association_events(context, association, limit=10):
    """Upcoming dates organised by an association (for its directory page)."""
    occurrences = (
        Occurrence.objects.public(organiser=association).upcoming().with_listing_data()[:limit]
    )
    return {"request": context.get("request"), "association": association, "occurrences": list(occurrences)}


@register.inclusion_tag("ateliers/includes/training_sessions.html", takes_context=True)
def training_sessions(context, training, limit=10):
    """Upcoming sessions of a training (for the training page)."""
    occurrences = (
        Occurrence.objects.public(training=training).upcoming().with_listing_data()[:limit]
    )
    return {"request": context.get("request"), "training": training, "occurrences": list(occurrences)}


@register.inclusion_tag("ateliers/includes/related_events.html", takes_context=True)
def related_events(context, page, limit=3):
    """Next dates of events sharing a theme with a page (guides, species)."""
    # .all(), not values_list: a preview renders an unsaved page whose themes exist only in memory.
    themes = [theme.pk for theme in page.themes.all()]
    occurrences = []
    if themes:
        occurrences = list(
            Occurrence.objects.public().upcoming().filter(event__themes__in=themes, status=Occurrence.SCHEDULED)
            .distinct().with_listing_data()[:limit]
        )
    return {"request": context.get("request"), "occurrences": occurrences}
