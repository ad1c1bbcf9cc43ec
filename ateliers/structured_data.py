"""schema.org Event data for event pages (public information only)."""

from django.conf import settings
from django.utils import timezone

from biodiversitheque.core.absolute_urls import absolute_url

KIND_TO_TYPE = {"conference": "EducationEvent", "formation": "EducationEvent"}


def event_json_ld(event, request, occurrences):
    url = absolute_url(event.get_url(request))
    place = {
        "@type": "Place",
        "name": event.place_name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": event.address,
            "postalCode": event.postal_code,
            "addressLocality": event.city,
            "addressCountry": "FR",
        },
    }
    if event.latitude is not None and event.longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": float(event.latitude),
                        "longitude": float(event.longitude)}
    organiser = event.organiser
    items = []
    for occurrence in occurrences[:10]:
        item = {
            "@context": "https://schema.org",
            "@type": KIND_TO_TYPE.get(event.kind, "Event"),
            "name": event.title,
            "description": event.summary,
            "startDate": timezone.localtime(occurrence.start).isoformat(),
            "endDate": timezone.localtime(occurrence.end).isoformat(),
            "eventStatus": "https://schema.org/EventCancelled" if occurrence.is_cancelled
            else "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": place,
            "url": url,
            "isAccessibleForFree": event.is_free,
            "organizer": {
                "@type": "Organization",
                "name": organiser.name if organiser else settings.WAGTAIL_SITE_NAME,
                **({"url": organiser.website} if organiser and organiser.website else {}),
            },
        }
        if event.minimum_age:
            item["typicalAgeRange"] = f"{event.minimum_age}-"
        if event.registration_required:
            item["maximumAttendeeCapacity"] = occurrence.capacity
            item["remainingAttendeeCapacity"] = occurrence.seats_left
        items.append(item)
    return items
