"""Demo: citizen guides, naturalist inventories and trainings, read from the TOML files in data/ressources/."""

import random
from decimal import Decimal
from pathlib import Path

from associations.models import Association
from demo.utils import (
    count_statuses,
    demo_document,
    demo_image,
    plain_text,
    read_data,
    rich_text,
    save_page,
    update_page,
)
from biodiversitheque.core.models import Audience, Theme
from biodiversitheque.portal.models import HomePage

from ressources.models import GuidePage, InventoryPage, Observation, ResourceIndexPage, TrainingPage

DATA_DIR = Path(__file__).resolve().parent / "data" / "ressources"
COORDINATE = Decimal("0.000001")


def load(log):
    home = HomePage.objects.get()
    index = ResourceIndexPage.objects.child_of(home).get()
    taxonomy = _Taxonomy()
    guides, statuses = _load_guides(index, taxonomy)
    log(f"Guides : {len(guides)} ({count_statuses(statuses)}).")
    inventories, statuses = _load_inventories(index, taxonomy)
    observations = sum(page.observations.count() for page in inventories)
    log(f"Inventaires : {len(inventories)} ({observations} observations ; {count_statuses(statuses)}).")
    trainings, statuses = _load_trainings(index, taxonomy)
    log(f"Formations : {len(trainings)} ({count_statuses(statuses)}).")
    featured = [guides[slug] for slug in read_data(DATA_DIR / "guides.toml")["featured"]]
    _page, status = update_page(
        home, children={"featured_pages": [{"page": page, "sort_order": i} for i, page in enumerate(featured)]}
    )
    log(f"Ressources à la une sur l'accueil : {len(featured)} ({count_statuses([status])}).")


class _Taxonomy:
    def __init__(self):
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.audiences = {audience.slug: audience for audience in Audience.objects.all()}

    def m2m(self, spec):
        return {
            "themes": [self.themes[slug] for slug in spec.get("themes", [])],
            "audiences": [self.audiences[slug] for slug in spec.get("audiences", [])],
        }


def _common(spec):
    """Fields every resource shares: title, summary and a generated listing image."""
    style = spec.get("image_style") or (spec.get("themes") or [""])[0]
    image = demo_image(f"Illustration : {spec['title']}", spec["slug"], style)
    return {"title": spec["title"], "summary": spec["summary"].strip(), "listing_image": image}


def _intro_blocks(spec):
    blocks = [{"type": "paragraph", "value": rich_text(spec["intro"])}] if spec.get("intro") else []
    if spec.get("tip"):
        blocks.append({"type": "callout", "value": {"kind": "tip", "title": "Astuce", "text": rich_text(spec["tip"])}})
    return blocks


# ---------------------------------------------------------------- guides


def _load_guides(index, taxonomy):
    data = read_data(DATA_DIR / "guides.toml")
    documents = {
        key: demo_document(doc["title"], doc["filename"], doc["text"].strip() + "\n")
        for key, doc in data.get("documents", {}).items()
    }
    # Existing guides first, so that on later runs every related guide resolves in a single pass.
    guides = {page.slug: page for page in GuidePage.objects.child_of(index)}
    statuses, incomplete = {}, []
    for spec in data["guides"]:
        guides[spec["slug"]], statuses[spec["slug"]] = _save_guide(index, taxonomy, spec, documents, guides)
        if any(slug not in guides for slug in spec.get("related", [])):
            incomplete.append(spec)
    # Guides pointing at guides created later in the file: save them once more, now that all exist.
    for spec in incomplete:
        _page, status = _save_guide(index, taxonomy, spec, documents, guides)
        if status == "updated" and statuses[spec["slug"]] == "unchanged":
            statuses[spec["slug"]] = "updated"
    return guides, list(statuses.values())


def _save_guide(index, taxonomy, spec, documents, guides):
    docs = [documents[key] for key in spec.get("documents", [])]
    if spec.get("fiche"):
        docs.insert(0, demo_document(f"Fiche pratique : {spec['title']}", f"fiche-{spec['slug']}.txt", _fiche(spec)))
    values = {
        **_common(spec),
        "difficulty": spec["difficulty"],
        "duration": spec["duration"],
        "season": spec["season"],
        "cost": spec["cost"],
        "materials": [{"type": "item", "value": {"name": name, "quantity": qty}} for name, qty in spec["materials"]],
        "body": _intro_blocks(spec),
        "steps": [
            {"type": "step", "value": {"title": step["title"], "text": rich_text(step["text"]), "image": None}}
            for step in spec["steps"]
        ],
        "town_rules": rich_text(spec["town_rules"]),
        "town_procedures": [
            {
                "type": "procedure",
                "value": {
                    "title": procedure["title"],
                    "description": rich_text(procedure["description"]),
                    "contact": procedure.get("contact", ""),
                    "form_url": procedure.get("form_url", ""),
                    "form_document": documents[procedure["form_document"]].pk if procedure.get("form_document") else None,
                },
            }
            for procedure in spec["procedures"]
        ],
    }
    children = {
        "documents": [{"document": doc, "title": "", "sort_order": i} for i, doc in enumerate(docs)],
        "related_guide_links": [
            {"guide": guides[slug], "sort_order": i}
            for i, slug in enumerate(slug for slug in spec.get("related", []) if slug in guides)
        ],
    }
    return save_page(index, GuidePage, spec["slug"], values, m2m=taxonomy.m2m(spec), children=children)


def _fiche(spec):
    """A printable plain-text summary of a guide, generated from the same data as the page."""
    lines = [spec["title"].upper(), "Biodiversithèque de Villeneuve-la-Verte — fiche pratique", ""]
    lines += [spec["summary"].strip(), "", f"Durée : {spec['duration']}", f"Saison : {spec['season']}", ""]
    lines += ["MATÉRIEL"] + [f"- {name} ({qty})" if qty else f"- {name}" for name, qty in spec["materials"]]
    lines.append("")
    for number, step in enumerate(spec["steps"], start=1):
        lines += [f"{number}. {step['title'].upper()}", plain_text(rich_text(step["text"])), ""]
    lines += ["CE QUI EST PERMIS", plain_text(rich_text(spec["town_rules"])), ""]
    lines += ["La Grange aux Savoirs, 4 rue des Tilleuls, 37000 Villeneuve-la-Verte — 02 61 91 10 20"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- inventories


def _load_inventories(index, taxonomy):
    data = read_data(DATA_DIR / "inventories.toml")
    associations = {association.slug: association for association in Association.objects.all()}
    pages, statuses = [], []
    for spec in data["inventories"]:
        values = {
            **_common(spec),
            "place": spec["place"],
            "latitude": _coordinate(spec["latitude"]),
            "longitude": _coordinate(spec["longitude"]),
            "period_start": spec["period_start"],
            "period_end": spec["period_end"],
            "protocol": rich_text(spec["protocol"]),
            "observers": spec["observers"].strip(),
            "association": associations.get(spec.get("association", "")),
            "body": _intro_blocks(spec),
        }
        page, status = save_page(index, InventoryPage, spec["slug"], values, m2m=taxonomy.m2m(spec))
        if _sync_observations(page, list(_observations(spec))) and status == "unchanged":
            status = "updated"
        pages.append(page)
        statuses.append(status)
    return pages, statuses


def _sync_observations(page, rows):
    """Replace the inventory's observations when they differ from the data file; True if anything changed."""
    keys = sorted({key for row in rows for key in row})

    def signature(items):
        return sorted((tuple(str(item[key]) for key in keys) for item in items), key=repr)

    existing = Observation.objects.filter(inventory=page).values(*keys)
    if signature(existing) == signature(rows):
        return False
    Observation.objects.filter(inventory=page).delete()
    for row in rows:
        # save() (not bulk_create) so each observation is linked to its Taxon.
        Observation(inventory=page, **row).save()
    return True


def _observations(spec):
    """Rows for Observation; points without coordinates get a stable spot close to the inventory's place."""
    for species in spec["species"]:
        for row in species["observations"]:
            observed_on, count, *point = row
            if not point:
                rng = random.Random(f"{spec['slug']}-{species['scientific_name']}-{observed_on}")
                radius = spec.get("spread", 0.0015)
                point = [spec["latitude"] + rng.uniform(-radius, radius), spec["longitude"] + rng.uniform(-radius, radius)]
            yield {
                "scientific_name": species["scientific_name"],
                "vernacular_name": species["vernacular_name"],
                "cd_nom": species.get("cd_nom"),
                "taxon_group": species["group"],
                "is_protected": species.get("protected", False),
                "is_invasive": species.get("invasive", False),
                "count": count,
                "observed_on": observed_on,
                "latitude": _coordinate(point[0]),
                "longitude": _coordinate(point[1]),
            }


def _coordinate(value):
    return Decimal(str(value)).quantize(COORDINATE)


# ---------------------------------------------------------------- trainings


def _load_trainings(index, taxonomy):
    data = read_data(DATA_DIR / "trainings.toml")
    pages, statuses = [], []
    for spec in data["trainings"]:
        values = {
            **_common(spec),
            "objectives": rich_text(spec["objectives"]),
            "prerequisites": rich_text(spec["prerequisites"]),
            "duration": spec["duration"],
            "training_format": spec["format"],
            "modules": [
                {
                    "type": "module",
                    "value": {
                        "title": module["title"],
                        "duration": module.get("duration", ""),
                        "description": rich_text(module["description"]),
                    },
                }
                for module in spec["modules"]
            ],
            "body": _intro_blocks(spec),
        }
        page, status = save_page(index, TrainingPage, spec["slug"], values, m2m=taxonomy.m2m(spec))
        pages.append(page)
        statuses.append(status)
    return pages, statuses
