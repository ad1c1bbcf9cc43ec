"""Catalogue filters: one mapping of filter names to queryset functions."""

from django.db.models import F, Q


def _text(things, value):
    return things.filter(Q(title__icontains=value) | Q(summary__icontains=value))


FILTERS = {
    "q": _text,
    "category": lambda things, value: things.filter(category=value),
    "point": lambda things, value: things.filter(units__lending_point=value).distinct(),
    "available": lambda things, value: things.filter(units_total__gt=F("units_busy")),
}


def filter_things(things, filters):
    for name, apply in FILTERS.items():
        value = filters.get(name)
        if value:
            things = apply(things, value)
    return things.order_by("title")
