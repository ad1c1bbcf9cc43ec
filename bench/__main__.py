"""Run every benchmark module (bench/bench_*.py), or only those named: python -m bench agenda search."""

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "biodiversitheque.settings.bench")
    names = sorted(
        info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)]) if info.name.startswith("bench_")
    )
    wanted = {f"bench_{name}" for name in argv}
    started = time.perf_counter()
    for name in names:
        if wanted and name not in wanted:
            continue
        print(f"\n=== {name.removeprefix('bench_')} ===", flush=True)
        module = importlib.import_module(f"bench.{name}")
        module.run()
    print(f"\nTerminé en {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main(sys.argv[1:])
