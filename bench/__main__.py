"""Run every benchmark module (bench/bench_*.py), or only those named: python -m bench agenda search.

Each module runs in its own process; its `GOAL` lines are gathered into one table printed at the end, with the
machine and the time each module took against its budget (the whole run: under 10 minutes on 2 cores).
"""

import importlib
import json
import os
import pkgutil
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import goal, summary

# Seconds per module on the reference machine (2 cores); import, observations and agenda share 3 minutes.
BUDGETS = {"bench_search": 240, "bench_pages": 150, "bench_import": 60, "bench_observations": 40, "bench_agenda": 80}
TOTAL_BUDGET = 600


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


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram():
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return f"{pages * size / 1024 ** 3:.1f} Go"
    except (ValueError, OSError):
        return "?"


def _postgresql_version():
    url = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg  # noqa: PLC0415 - bench driver, optional

        with psycopg.connect(url, connect_timeout=3) as connection:
            return connection.execute("SHOW server_version").fetchone()[0].split()[0]
    except Exception:  # noqa: BLE001 - absent or unreachable: said in the table, never fatal
        return "injoignable"


def machine():
    """One line for the README: where the figures come from."""
    return (
        f"{_cpu_model()}, {os.cpu_count()} cœurs, {_ram()} de mémoire ; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {_postgresql_version()}"
    )


def _children_cpu():
    """User + system seconds of the finished children (a module's process, and the server, workers and commands
    it ran and waited for): a module's CPU time, the proxy of its time on a quiet machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _seconds(value):
    return f"{value:.0f} s"


def durations_table(durations, elapsed, cpu):
    """Each module's wall and CPU seconds against its budget, and the whole run against TOTAL_BUDGET."""
    lines = [f"\n=== Durées (budget total {TOTAL_BUDGET} s = {TOTAL_BUDGET // 60} min, sur 2 cœurs) ===",
             "| module | écoulé | CPU (utilisateur + système) | budget | CPU dans le budget |",
             "| --- | ---: | ---: | ---: | --- |"]
    for name, wall, seconds in durations:
        budget = BUDGETS.get(name)
        verdict = ("oui" if seconds <= budget else "DÉPASSÉ") if budget else "—"
        lines.append(f"| {name.removeprefix('bench_')} | {_seconds(wall)} | {_seconds(seconds)} | "
                     f"{_seconds(budget) if budget else '—'} | {verdict} |")
    lines.append(f"| **total** | {_seconds(elapsed)} | {_seconds(cpu)} | {_seconds(TOTAL_BUDGET)} | "
                 f"{'oui' if cpu <= TOTAL_BUDGET else 'DÉPASSÉ'} |")
    return "\n".join(lines)


def total_goal(elapsed, cpu, load):
    """The goal "make bench < 10 min": wall time on a quiet machine; on a loaded one (other jobs: load above
    the number of cores) wall time is inflated, and the CPU seconds of the run stand for it, as the text says."""
    quiet = load < (os.cpu_count() or 2)
    judged = elapsed if quiet else cpu
    measured = (f"{elapsed:.0f} s écoulées, {cpu:.0f} s de CPU ; "
                + ("machine calme : temps écoulé retenu" if quiet else
                   f"machine chargée (charge {load:.1f} pour {os.cpu_count()} cœurs) : temps CPU retenu"))
    return goal("make bench, tous les modules", f"< {TOTAL_BUDGET // 60} min ({TOTAL_BUDGET} s)", measured,
                judged < TOTAL_BUDGET)


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
    started, cpu_started = time.perf_counter(), _children_cpu()
    load_started = os.getloadavg()[0]
    status, goals, durations = 0, [], []
    # One process per module: each builds its own test database, and an in-memory SQLite database
    # still open after one module would carry its rows into the next one's figures.
    for name in selected:
        module_started, module_cpu = time.perf_counter(), _children_cpu()
        code, found = _run_module(name)
        durations.append((name, time.perf_counter() - module_started, _children_cpu() - module_cpu))
        print(f"({name.removeprefix('bench_')} : {durations[-1][1]:.0f} s écoulées, {durations[-1][2]:.0f} s de CPU, "
              f"budget {BUDGETS.get(name, '—')} s)", flush=True)
        status = status or code
        goals += found
    elapsed, cpu = time.perf_counter() - started, _children_cpu() - cpu_started
    print(durations_table(durations, elapsed, cpu))
    if not wanted:  # the whole run: its own goal, in the table with the modules' ones
        goals.append(total_goal(elapsed, cpu, max(load_started, os.getloadavg()[0])))
    print(f"\n=== Objectifs ({time.strftime('%Y-%m-%d %H:%M')}) ===")
    print(f"Machine : {machine()}")
    print(f"Durée totale : {elapsed / 60:.1f} min ({elapsed:.0f} s écoulées, {cpu:.0f} s de CPU) ; charge moyenne "
          f"au début : {load_started:.1f}, à la fin : {os.getloadavg()[0]:.1f}")
    print(summary(goals))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
