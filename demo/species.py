"""Demo: species pages like an atlas (photo, description, statuses by territory), from data/ressources/species.toml."""

from pathlib import Path

from demo.utils import count_statuses, demo_image, read_data, rich_text, save_object
from ressources.models import Taxon, TaxonStatus, refresh_flags

DATA_FILE = Path(__file__).resolve().parent / "data" / "ressources" / "species.toml"
STATUS_FIELDS = ("kind", "type_code", "type_label", "territory", "territory_code", "territory_level", "code", "label",
                 "document", "document_url", "source")


def load(log):
    results, missing = [], []
    for spec in read_data(DATA_FILE)["species"]:
        lookup = {"cd_nom": spec["cd_nom"]} if spec.get("cd_nom") else {"scientific_name": spec["scientific_name"]}
        taxon = Taxon.objects.filter(**lookup).order_by("pk").first()
        if taxon is None:
            missing.append(spec["scientific_name"])
            continue
        image = demo_image(f"Photo : {spec['scientific_name']}", f"espece-{taxon.slug}", spec.get("image_style"))
        values = {"image": image, "image_credit": spec["credit"], "image_licence": spec["licence"],
                  "description": rich_text(spec["description"])}
        _taxon, status = save_object(Taxon, {"pk": taxon.pk}, values)
        if _sync_statuses(taxon, spec["statuses"]) and status == "unchanged":
            status = "updated"
        results.append(status)
    log(f"Fiches espèces : {len(results)} ({count_statuses(results)})."
        + (f" Absentes : {', '.join(missing)}." if missing else ""))


def _sync_statuses(taxon, specs):
    """Replace the taxon's statuses when they differ from the data file; True if anything changed."""
    wanted = [
        {"kind": item["kind"], "type_code": item.get("type_code", ""), "type_label": item.get("type_label", ""),
         "territory": item["territory"], "territory_code": item["territory_code"],
         "territory_level": item.get("level", 0), "code": item.get("code", ""), "label": item.get("label", ""),
         "document": item.get("document", ""), "document_url": item.get("url", ""), "source": "bdc"}
        for item in specs
    ]

    def signature(rows):
        return sorted(tuple(str(row[name]) for name in STATUS_FIELDS) for row in rows)

    if signature(taxon.territorial_statuses.values(*STATUS_FIELDS)) == signature(wanted):
        return False
    taxon.territorial_statuses.all().delete()
    TaxonStatus.objects.bulk_create([TaxonStatus(taxon=taxon, **row) for row in wanted])
    refresh_flags([taxon])
    return True
