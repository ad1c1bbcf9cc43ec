"""Spreadsheet import speed: 1,000 generated rows into a fresh SQLite database, then a re-import.

Each import runs `manage.py import_resources` in a subprocess (as a librarian would), on a copy of a migrated
database (bench/templates.py: built once, kept between runs). Goal: the first import of 1,000 rows under
15 s of CPU, Django's start-up included (CPU time, not wall time: it depends much less on what else the machine
runs).
"""

import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import goal
from bench.templates import copy_migrated

ROOT = Path(__file__).resolve().parent.parent
ROWS = 1000
CPU_GOAL = 15
THEMES = [
    "Mares et zones humides",
    "haies",
    "Arbres",
    "insectes et pollinisateurs",
    "Vergers anciens",
    "Friches",
]
AUDIENCES = ["habitants", "élus", "agents", "professionnels", "scolaires", "familles"]
TYPES = ["guide", "inventaire", "formation"]


def write_rows(path, count):
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            ["type", "titre", "résumé", "texte", "thèmes", "public", "durée", "lieu", "date_debut"]
        )
        for n in range(count):
            kind = TYPES[n % 3]
            writer.writerow(
                [
                    kind,
                    f"Ressource de test numéro {n}",
                    f"Résumé de la ressource {n}, assez long pour ressembler à un vrai résumé de guide.",
                    "Premier paragraphe, avec quelques phrases.\nUne deuxième ligne.\n\nSecond paragraphe.",
                    f"{THEMES[n % len(THEMES)]};{THEMES[(n + 2) % len(THEMES)]}",
                    f"{AUDIENCES[n % len(AUDIENCES)]};{AUDIENCES[(n + 1) % len(AUDIENCES)]}",
                    "2 heures" if kind != "inventaire" else "",
                    "Parc des Tilleuls" if kind == "inventaire" else "",
                    "01/04/2025" if kind == "inventaire" else "",
                ]
            )


def manage(env, *args):
    """Run manage.py: (wall seconds, CPU seconds, stdout); CPU time does not depend on the machine's load."""
    started, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} a échoué :\n{completed.stdout}\n{completed.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    return time.perf_counter() - started, cpu, completed.stdout


def run():
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        tmp = Path(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "biodiversitheque.settings.bench",
            "BIODIVERSITHEQUE_VAR_DIR": str(tmp),
        }
        count = ROWS
        database = tmp / f"import-{count}.sqlite3"
        started = time.perf_counter()
        built = copy_migrated(database, env)
        how = "construite (migrate, une fois pour les modules qui la partagent)" if built else "copiée du modèle"
        print(f"base migrée {how} en {time.perf_counter() - started:.1f} s ; le démarrage de Django (≈ 4 s de CPU) "
              "est compris dans les temps ci-dessous")
        csv_path = tmp / f"ressources-{count}.csv"
        write_rows(csv_path, count)
        run_env = {**env, "DATABASE_URL": f"sqlite:///{database}"}
        seconds, cpu, out = manage(run_env, "import_resources", str(csv_path))
        summary = out.strip().splitlines()[-1]
        print(
            f"{count:>5} lignes, premier import : {seconds:6.1f} s (CPU {cpu:5.1f} s), "
            f"{count / seconds:4.0f} lignes/s ; {summary}"
        )
        again, again_cpu, out = manage(run_env, "import_resources", str(csv_path))
        print(
            f"{count:>5} lignes, réimport sans changement : {again:6.1f} s (CPU {again_cpu:5.1f} s), "
            f"{count / again:4.0f} lignes/s"
        )
        print(f"charge de la machine : {os.getloadavg()[0]:.1f} pour {os.cpu_count()} cœurs")
        goal(f"import_resources, {count} lignes (premier import)", f"< {CPU_GOAL} s de CPU",
             f"{cpu:.1f} s de CPU ({seconds:.0f} s écoulées)", cpu < CPU_GOAL)
        goal(f"import_resources, {count} lignes (réimport sans changement)", f"< {CPU_GOAL} s de CPU",
             f"{again_cpu:.1f} s de CPU", again_cpu < CPU_GOAL)
