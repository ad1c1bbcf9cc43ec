"""Every admin URL, for every role: no other association's participant (name, address, phone) ever shows.

The URL patterns are read from the resolver, so a view added later (a report, a chooser, a history) is
walked too. Parameters are filled with the ids of the other association's rows and of one's own.
"""

import io
import re
import zipfile

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from wagtail.log_actions import log

from ateliers import services as agenda_services
from ateliers.models import OutgoingEmail

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")
# Names fitted with other models' strings so that generic views (bulk actions, settings, editing
# sessions) are pointed at the personal-data models.
STRING_PARAMS = {
    "app_label": "ateliers", "app_name": "ateliers", "content_type_app_name": "ateliers",
    "model_name": "registration", "content_type_model_name": "registration",
    "action": "delete", "action_name": "delete", "filter_spec": "original",
}


def admin_routes():
    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    return sorted({route for route in walk(get_resolver().url_patterns, "") if route.startswith("admin/")})


def ids_for(route, ids):
    for keyword, key in (
        ("ateliers/registration", "registration"), ("ateliers/outgoingemail", "email"),
        ("ateliers/occurrence", "occurrence"), ("associations/membres", "membership"),
        ("associations/association", "association"), ("users", "user"),
        ("pages", "page"), ("page", "page"),
    ):
        if keyword in route:
            return ids[key]
    return ids["registration"]  # generic views get app_label/model_name of registrations


def urls_for(route, ids):
    route = route.replace("^", "").replace("$", "").replace("\\", "")
    route = re.sub(r"\(\?P<revision_id_a>[^)]*\)", "earliest", route)
    route = re.sub(r"\(\?P<revision_id_b>[^)]*\)", "latest", route)
    names = [match.group("name") or match.group("rname") for match in PARAM.finditer(route)]
    if not names:
        return [] if "failwhale" in route else ["/" + route]
    if any(name in ("uidb64", "token") for name in names) or "failwhale" in route:
        return []
    urls = []
    for pk in ids_for(route, ids):
        def fill(match):
            name = match.group("name") or match.group("rname")
            return STRING_PARAMS.get(name, str(pk))

        urls.append("/" + PARAM.sub(fill, route))
    return urls


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # XLSX: the cells are in the zipped XML
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", "replace")


@pytest.fixture
def two_associations(mares, apis, make_event, librarian):
    """Each association with an event, a registration (with its e-mail) and history entries."""
    people = {}
    for association, person in ((mares, ("Léa Martin", "lea.martin@example.org", "06 11 22 33 44")),
                                (apis, ("Max Secret", "max.secret@example.org", "06 99 88 77 66"))):
        event = make_event(association, title=f"Sortie de {association.name}", slug=f"sortie-{association.slug}")
        registration = agenda_services.register(
            event.occurrences.get().pk, name=person[0], email=person[1], places=1, phone=person[2]
        )
        log(registration, "wagtail.edit", user=librarian)
        log(registration.occurrence, "wagtail.edit", user=librarian)
        for email in OutgoingEmail.objects.filter(registration=registration):
            log(email, "wagtail.edit", user=librarian)
        people[association.pk] = {"registration": registration, "strings": person}
    return people


def test_no_admin_view_shows_another_association_participants(
    two_associations, mares, apis, member, other_member, librarian
):
    member_a, member_b = member, other_member
    editor = User.objects.create_user("redac", "redac@example.org", "x")
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Éditeurs"]))
    both = [person for entry in two_associations.values() for person in entry["strings"]]
    roles = {
        # role: (user, strings it must never see, associations whose rows' ids fill the URLs)
        "member A": (member_a, list(two_associations[apis.pk]["strings"]) + [member_b.email], (apis, mares)),
        "member B": (member_b, list(two_associations[mares.pk]["strings"]) + [member_a.email], (mares,)),
        "editor": (editor, both, (apis,)),
        "librarian": (librarian, [], (apis,)),
    }
    routes = admin_routes()
    assert any("ateliers/registration/history" in route for route in routes)  # the walk sees modeladmin

    leaks, errors, walked = [], [], 0
    for role, (user, forbidden, walked_associations) in roles.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        ids = {key: [] for key in (
            "registration", "email", "occurrence", "membership", "association", "user", "page")}
        for association in walked_associations:
            registration = two_associations[association.pk]["registration"]
            ids["registration"].append(registration.pk)
            ids["email"] += registration.emails.values_list("pk", flat=True)
            ids["occurrence"].append(registration.occurrence_id)
            ids["page"] += [registration.occurrence.event_id, association.events_page.pk]
            ids["association"].append(association.pk)
            ids["membership"] += association.memberships.values_list("pk", flat=True)
            ids["user"] += association.memberships.values_list("user_id", flat=True)
        for route in routes:
            for url in urls_for(route, ids):
                queries = [{}]
                while queries:
                    query = queries.pop()
                    response = client.get(url, query)
                    walked += 1
                    if response.status_code >= 500:
                        errors.append((role, url, query, response.status_code))
                        continue
                    text = body(response)
                    if not query and response.status_code == 200:
                        # Listings: their search and exports too.
                        if 'name="q"' in text:
                            queries.append({"q": "example"})
                        if "export=" in text:
                            queries += [{"export": "csv"}, {"export": "xlsx"}]
                    for secret in forbidden:
                        if secret in text:
                            leaks.append((role, url, query, secret))
    assert walked > 500
    assert not leaks, "\n".join(map(str, leaks))
    assert not errors, "\n".join(map(str, errors))
