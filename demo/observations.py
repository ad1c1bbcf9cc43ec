"""Demo: import the sample exports (one per format) into the demo inventories; running it twice adds nothing."""

from pathlib import Path

from ressources.models import InventoryPage
from ressources.observations import import_observations

SAMPLES_DIR = Path(__file__).resolve().parent / "data" / "ressources" / "observations"
SAMPLES = [
    ("amphibiens-mare-des-tilleuls", "darwin-core.csv"),
    ("abc-oiseaux-nicheurs", "geonature.csv"),
    ("pollinisateurs-jardins-partages", "inaturalist.csv"),
]


def load(log):
    for slug, filename in SAMPLES:
        inventory = InventoryPage.objects.filter(slug=slug).first()
        if inventory is None:
            log(f"Inventaire « {slug} » absent : {filename} non importé.")
            continue
        report = import_observations(inventory, (SAMPLES_DIR / filename).read_bytes())
        log(f"Observations {report.format_label} → {slug} : {report.created} créée(s), "
            f"{report.already_present} déjà présente(s).")
