"""Demo: home page, index introductions, site settings, legal pages and (in development) demo accounts."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Site

from associations.models import AssociationIndexPage
from biodiversitheque.core.absolute_urls import absolute_url, base_url
from biodiversitheque.core.models import SiteSettings, StandardPage
from biodiversitheque.portal.models import HomePage
from biodiversitheque.portal.roles import ensure_roles
from ressources.models import ResourceIndexPage

from .utils import count_statuses, demo_image, read_data, rich_text, save_object, save_page, sections_to_blocks, update_page

DATA_FILE = Path(__file__).resolve().parent / "data" / "pages.toml"
DEMO_PASSWORD = "biodiversite-demo"  # noqa: S105 - documented demo password, development only


def load(log):
    data = read_data(DATA_FILE)
    home = HomePage.objects.get()
    statuses = [_load_home(home, data["home"])]
    statuses.append(update_page(ResourceIndexPage.objects.child_of(home).get(),
                                {"intro": rich_text(data["resource_index"]["intro"])})[1])
    statuses.append(update_page(AssociationIndexPage.objects.get(),
                                {"intro": rich_text(data["association_index"]["intro"])})[1])
    pages = {}
    for spec in data["pages"]:
        page, status = save_page(
            home,
            StandardPage,
            spec["slug"],
            {
                "title": spec["title"],
                "summary": spec["summary"],
                "body": sections_to_blocks(_with_settings(spec["sections"])),
            },
        )
        pages[spec["setting"]] = page
        statuses.append(status)
    _load_settings(home, data["settings"], pages)
    _load_site(home, data["site"])
    log(f"Accueil, index et pages simples : {len(statuses)} pages ({count_statuses(statuses)}).")
    if settings.BIODIVERSITHEQUE_DEMO_ACCOUNTS:
        _load_accounts(log)


def _load_home(home, spec):
    hero = demo_image(
        "Illustration : accueil de la biodiversithèque", "accueil", spec["image_theme"],
        description="Illustration décorative : une prairie fleurie sous le soleil.",
    )
    values = {
        "title": spec["title"],
        "summary": spec["summary"],
        "intro": rich_text(spec["intro"]),
        "hero_image": hero,
        "listing_image": hero,
    }
    return update_page(home, values)[1]


def _with_settings(sections):
    retention = str(settings.PERSONAL_DATA_RETENTION_DAYS)
    return [{**section, "text": section.get("text", "").replace("{retention_days}", retention)} for section in sections]


def _load_settings(home, spec, pages):
    site = Site.objects.get(root_page=home)
    site_settings = SiteSettings.for_site(site)
    values = {**spec, **{name: page for name, page in pages.items()}}
    save_object(SiteSettings, {"pk": site_settings.pk}, values)


def _load_site(home, spec):
    """Name the Site and give it BASE_URL's host and port, so that Wagtail's own links agree with ours."""
    base = urlsplit(base_url())
    values = {
        "hostname": base.hostname,
        "port": base.port or (443 if base.scheme == "https" else 80),
        "site_name": spec["name"],
    }
    save_object(Site, {"pk": Site.objects.get(root_page=home).pk}, values)


def _load_accounts(log):
    user_model = get_user_model()
    group = ensure_roles()  # the librarians' group, as every installation has it
    admin, _ = _demo_user(user_model, "admin", first_name="Camille", last_name="Admin", email="admin@example.org",
                          is_staff=True, is_superuser=True)
    librarian, _ = _demo_user(user_model, "bibliothecaire", first_name="Dominique", last_name="Bibliothécaire",
                              email="bibliothecaire@example.org", is_staff=False, is_superuser=False)
    librarian.groups.add(group)
    log(
        "Comptes de démonstration : admin / biodiversite-demo (administrateur) et bibliothecaire / "
        f"biodiversite-demo (groupe « {group.name} ») sur {absolute_url('/admin/')}"
    )


def _demo_user(user_model, username, **values):
    """Create the account with the demo password, or restore that password if it was changed."""
    created = not user_model.objects.filter(username=username).exists()
    if created:
        user_model.objects.create_user(username, password=DEMO_PASSWORD)
    user, status = save_object(user_model, {"username": username}, values)
    if not created and not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, status
