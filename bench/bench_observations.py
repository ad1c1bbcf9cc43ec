"""Observation import into a throwaway SQLite database: rows per second for each format (3,000 generated rows,
then the same file again: 0 created), then the import against a plain bulk loader (the csv module and
bulk_create, no validation, no search) on one Darwin Core file, interleaved. Goal: at least 0.8 times the plain
loader's speed. Each compared run starts from the same state: it runs in a transaction rolled back afterwards
(the rollback, alike for both, is timed with them), its after-commit work (the search index) executed
and timed before.

The database is a copy of a migrated template (bench/templates.py), Django set up in this process.
"""

import csv
import datetime
import io
import os
import random
import tempfile
import time
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

ROWS = 3_000
RATIO_ROWS = 3_000
RATIO_GOAL = 0.8
PAIRS = 7
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


def plain_loader(inventory, data, taxa):
    """The reference: rows read by the csv module, one Observation each, bulk_create in batches."""
    from ressources.models import Observation

    rows = csv.DictReader(io.StringIO(data.decode()))
    observations = []
    for row in rows:
        cd_nom = int(row["taxonID"].rsplit("/", 1)[-1])
        taxon = taxa[cd_nom]
        observations.append(Observation(
            inventory=inventory, taxon=taxon, scientific_name=row["scientificName"],
            vernacular_name=row["vernacularName"], cd_nom=cd_nom, taxon_group=taxon.group,
            count=int(row["individualCount"]), observed_on=datetime.date.fromisoformat(row["eventDate"]),
            latitude=row["decimalLatitude"], longitude=row["decimalLongitude"], occurrence_id=row["occurrenceID"],
            source="darwin-core",
        ))
    for start in range(0, len(observations), 2000):
        with transaction.atomic():
            Observation.objects.bulk_create(observations[start : start + 2000])


def rolled_back(function):
    """Run `function` in a transaction that is rolled back, its on-commit callbacks run before (timed)."""
    from django.test import TestCase

    def run():
        with transaction.atomic():
            with TestCase.captureOnCommitCallbacks(execute=True):
                function()
            transaction.set_rollback(True)

    return run


def measure(pairs=PAIRS):
    """Runs with Django set up on the throwaway database."""
    from biodiversitheque.portal.site_structure import ensure_site_structure
    from bench.harness import goal, interleaved
    from ressources.models import InventoryPage, Observation, ResourceIndexPage, Taxon
    from ressources.observations import import_observations

    home = ensure_site_structure()
    index = ResourceIndexPage.objects.child_of(home).get()

    def new_inventory(name):
        inventory = InventoryPage(title=name, slug=slugify(name))
        index.add_child(instance=inventory)
        return inventory

    print(f"Importation de {ROWS} observations générées par format (SQLite) :", flush=True)
    for format_name in ("darwin-core", "inaturalist", "geonature"):
        inventory = new_inventory(f"Bench {format_name}")
        data = generate(format_name)
        started = time.perf_counter()
        report = import_observations(inventory, data)
        elapsed = time.perf_counter() - started
        again = time.perf_counter()
        second = import_observations(inventory, data)
        reimport = time.perf_counter() - again
        print(f"{format_name:12} {report.created:>6} lignes en {elapsed:5.2f} s = {report.created / elapsed:>7.0f} "
              f"lignes/s ({report.new_taxa} espèces créées) ; réimportation (0 créée : {second.created == 0}) en "
              f"{reimport:4.2f} s", flush=True)

    # The Darwin Core species exist now (as they do for the plain loader, which is given them); one inventory,
    # empty at the start of every run: each is rolled back.
    data = generate("darwin-core", rows=RATIO_ROWS, seed=7)
    taxa = {taxon.cd_nom: taxon for taxon in Taxon.objects.all()}
    inventory = new_inventory("Bench alterné")
    comparison = interleaved(rolled_back(lambda: import_observations(inventory, data)),
                             rolled_back(lambda: plain_loader(inventory, data, taxa)), pairs=pairs)
    assert not Observation.objects.filter(inventory=inventory).exists()
    # Speed ratio = plain loader's time / our time.
    speed = 1 / comparison.ratio
    low, high = (1 / ratio for ratio in reversed(comparison.spread))
    print(f"Darwin Core, {RATIO_ROWS} lignes, alterné : import {comparison.median_a:.2f} s, chargeur simple "
          f"{comparison.median_b:.2f} s ; vitesse relative {speed:.2f} (de {low:.2f} à {high:.2f}, {pairs} paires)")
    goal(f"Import d'observations ({RATIO_ROWS} lignes) / chargeur simple", f"≥ {RATIO_GOAL} × sa vitesse",
         f"{speed:.2f} × (de {low:.2f} à {high:.2f}, {pairs} paires)", speed >= RATIO_GOAL)


def run():
    from bench.templates import copy_migrated

    with tempfile.TemporaryDirectory(prefix="bench-observations-") as directory:
        database_file = Path(directory) / "bench.sqlite3"
        env = {"DJANGO_SETTINGS_MODULE": "biodiversitheque.settings.bench", "DATABASE_URL": f"sqlite:///{database_file}",
               "BIODIVERSITHEQUE_VAR_DIR": directory}
        started = time.perf_counter()
        built = copy_migrated(database_file, {**os.environ, **env})
        print(f"base migrée {'construite (migrate)' if built else 'copiée du modèle'} en "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        # This process is the module's own (python -m bench runs one per module): Django is set up here.
        os.environ.update(env)
        import django

        django.setup()
        measure()


if __name__ == "__main__":
    run()
