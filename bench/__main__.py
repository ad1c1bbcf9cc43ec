"""Run every benchmark module (bench/bench_*.py), or only those named: python -m bench agenda search.

Each module runs in its own process; its `GOAL` lines are gathered into one table printed at the end."""

import importlib
import json
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import summary


def _run_module(name):
    """Stream a module's output and return the goals it printed."""
    goals = []
    process = subprocess.Popen(
        [sys.executable, "-m", "bench", "--one", name], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    for line in process.stdout:
        if line.startswith("GOAL "):
            goals.append(json.loads(line[5:]))
        else:
            print(line, end="", flush=True)
    return process.wait(), goals


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "biodiversitheque.settings.bench")
    if argv[:1] == ["--one"]:
        name = argv[1]
        print(f"\n=== {name.removeprefix('bench_')} ===", flush=True)
        importlib.import_module(f"bench.{name}").run()
        return 0
    names = sorted(
        info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)]) if info.name.startswith("bench_")
    )
    wanted = {f"bench_{name}" for name in argv}
    selected = [name for name in names if not wanted or name in wanted]
    started = time.perf_counter()
    status, goals = 0, []
    # One process per module: each builds its own test database, and an in-memory SQLite database
    # still open after one module would carry its rows into the next one's figures.
    for name in selected:
        code, found = _run_module(name)
        status = status or code
        goals += found
    elapsed = time.perf_counter() - started
    print(f"\n=== Objectifs ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cœurs, {elapsed:.0f} s) ===")
    print(summary(goals))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
