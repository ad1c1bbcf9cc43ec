"""Run every benchmark module (bench/bench_*.py), or only those named: python -m bench agenda search."""

import importlib
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "biodiversitheque.settings.bench")
    names = sorted(
        info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)]) if info.name.startswith("bench_")
    )
    wanted = {f"bench_{name}" for name in argv}
    selected = [name for name in names if not wanted or name in wanted]
    started = time.perf_counter()
    status = 0
    if len(selected) > 1:
        # One process per module: each builds its own test database, and an in-memory SQLite database
        # still open after one module would carry its rows into the next one's figures.
        for name in selected:
            status = subprocess.call([sys.executable, "-m", "bench", name.removeprefix("bench_")]) or status
    else:
        for name in selected:
            print(f"\n=== {name.removeprefix('bench_')} ===", flush=True)
            importlib.import_module(f"bench.{name}").run()
    print(f"\nTerminé en {time.perf_counter() - started:.0f} s.")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
