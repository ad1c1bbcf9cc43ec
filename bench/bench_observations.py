"""Import 50,000 generated observations per format into a throwaway SQLite database; prints rows per second."""

import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 50_000
ROOT = Path(__file__).resolve().parent.parent
SPECIES = [(4001 + i, f"Genus{i} species{i}", f"Espèce {i}") for i in range(300)]


def generate(format_name, rows=ROWS, seed=6):
    random.seed(seed)
    out = io.StringIO()
    if format_name == "darwin-core":
        writer = csv.writer(out)
        writer.writerow(["occurrenceID", "scientificName", "vernacularName", "taxonID", "class", "eventDate",
                         "decimalLatitude", "decimalLongitude", "individualCount"])
    elif format_name == "inaturalist":
        writer = csv.writer(out)
        writer.writerow(["id", "observed_on", "scientific_name", "common_name", "iconic_taxon_name", "latitude",
                         "longitude", "positional_accuracy", "quality_grade"])
    else:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["id_synthese", "cd_nom", "nom_valide", "nom_vern", "group2_inpn", "date_debut", "x", "y",
                         "denombrement_min"])
    for number in range(rows):
        cd_nom, name, vernacular = random.choice(SPECIES)
        date = f"2025-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
        lat, lon = 47.39 + random.uniform(-0.05, 0.05), 0.68 + random.uniform(-0.05, 0.05)
        if format_name == "darwin-core":
            writer.writerow([f"bench-{number}", name, vernacular, f"https://taxref.mnhn.fr/api/taxa/{cd_nom}",
                             "Aves", date, f"{lat:.6f}", f"{lon:.6f}", random.randint(1, 9)])
        elif format_name == "inaturalist":
            writer.writerow([number + 1, date, name, vernacular, "Insecta", f"{lat:.6f}", f"{lon:.6f}", 10,
                             "research"])
        else:
            writer.writerow([number + 1, cd_nom, name, vernacular, "Oiseaux", date,
                             525000 + random.randint(-3000, 3000), 6700000 + random.randint(-3000, 3000),
                             random.randint(1, 9)])
    return out.getvalue().encode()


def child(database_file):
    """Runs in the subprocess, with Django set up on the throwaway database."""
    import django

    django.setup()
    from biodiversitheque.portal.site_structure import ensure_site_structure
    from ressources.models import InventoryPage, ResourceIndexPage
    from ressources.observations import import_observations

    home = ensure_site_structure()
    index = ResourceIndexPage.objects.child_of(home).get()
    for format_name in ("darwin-core", "inaturalist", "geonature"):
        inventory = InventoryPage(title=f"Bench {format_name}", slug=f"bench-{format_name}")
        index.add_child(instance=inventory)
        data = generate(format_name)
        started = time.perf_counter()
        report = import_observations(inventory, data)
        elapsed = time.perf_counter() - started
        again = time.perf_counter()
        second = import_observations(inventory, data)
        reimport = time.perf_counter() - again
        print(f"{format_name:12} {report.created:>6} lignes en {elapsed:5.1f} s = {report.created / elapsed:>7.0f} "
              f"lignes/s ; réimportation (0 créée : {second.created == 0}) en {reimport:4.1f} s", flush=True)


def run():
    with tempfile.TemporaryDirectory(prefix="bench-observations-") as directory:
        database_file = Path(directory) / "bench.sqlite3"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "biodiversitheque.settings.bench",
               "DATABASE_URL": f"sqlite:///{database_file}", "BIODIVERSITHEQUE_VAR_DIR": directory}
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        print(f"Importation de {ROWS} observations générées par format (SQLite) :", flush=True)
        subprocess.run([sys.executable, "-c", "import bench.bench_observations as b; b.child(None)"], cwd=ROOT,
                       env=env, check=True)


if __name__ == "__main__":
    run()
