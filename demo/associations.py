"""Demo: the associations of Villeneuve-la-Verte, with generated logos."""

from decimal import Decimal
from pathlib import Path

from demo.utils import count_statuses, demo_logo, initials_of, read_data, rich_text, save_object
from biodiversitheque.core.models import Theme

from associations.models import Association

DATA_FILE = Path(__file__).resolve().parent / "data" / "associations" / "associations.toml"
TOWN = {"postal_code": "37000", "city": "Villeneuve-la-Verte"}


def load(log):
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    statuses = []
    for spec in read_data(DATA_FILE)["associations"]:
        theme_slugs = spec["themes"]
        logo = demo_logo(f"Logo : {spec['name']}", spec["slug"], initials_of(spec["name"]), theme_slugs[0])
        values = {
            **TOWN,
            **{key: spec[key] for key in ("name", "summary", "email", "phone", "website", "address")},
            "description": rich_text(spec["description"]),
            "latitude": Decimal(str(spec["latitude"])),
            "longitude": Decimal(str(spec["longitude"])),
            "logo": logo,
        }
        _association, status = save_object(
            Association, {"slug": spec["slug"]}, values, m2m={"themes": [themes[slug] for slug in theme_slugs]}
        )
        statuses.append(status)
    log(f"Associations : {len(statuses)} ({count_statuses(statuses)}).")
