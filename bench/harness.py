"""Measuring side by side: A and B alternate in one process (A, B, A, B…), so a load that comes and goes on the
machine weighs on both; a ratio is the median of the per-pair ratios, with their spread. Goals are printed as
`GOAL {json}` lines that `python -m bench` gathers into one table at the end."""

import json
import statistics
import time
from dataclasses import dataclass

PAIRS = 7


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


@dataclass
class Comparison:
    a: list
    b: list

    @property
    def median_a(self):
        return statistics.median(self.a)

    @property
    def median_b(self):
        return statistics.median(self.b)

    @property
    def ratios(self):
        return sorted(x / y for x, y in zip(self.a, self.b, strict=True) if y > 0)

    @property
    def ratio(self):
        """A / B, median of the pairs."""
        return statistics.median(self.ratios)

    @property
    def spread(self):
        ratios = self.ratios
        return ratios[0], ratios[-1]

    def describe(self):
        low, high = self.spread
        return f"{self.ratio:.2f} (de {low:.2f} à {high:.2f}, {len(self.a)} paires)"


def interleaved(a, b, pairs=PAIRS, warmup=1):
    """Time `a` and `b` alternately, `pairs` times each, after `warmup` untimed rounds."""
    for _ in range(warmup):
        a()
        b()
    times_a, times_b = [], []
    for number in range(pairs):
        # Alternate which one goes first: a cache warmed by the first must not always favour the second.
        if number % 2:
            times_b.append(timed(b))
            times_a.append(timed(a))
        else:
            times_a.append(timed(a))
            times_b.append(timed(b))
    return Comparison(times_a, times_b)


def goal(name, target, measured, met):
    """One line of the final table: what is aimed at, what was measured, whether it is reached."""
    item = {"name": name, "target": target, "measured": measured, "met": bool(met)}
    print("GOAL " + json.dumps(item, ensure_ascii=False), flush=True)
    return item


def summary(goals):
    """The table printed at the end of `make bench` (and copied into docs/performances.md)."""
    if not goals:
        return "Aucun objectif mesuré."
    lines = ["| objectif | cible | mesuré | résultat |", "| --- | --- | --- | --- |"]
    for item in goals:
        verdict = "atteint" if item["met"] else "non atteint"
        lines.append(f"| {item['name']} | {item['target']} | {item['measured']} | {verdict} |")
    met = sum(item["met"] for item in goals)
    lines.append("")
    lines.append(f"{met} objectif(s) atteint(s) sur {len(goals)}.")
    return "\n".join(lines)


def interleaved_rounds(functions, pairs=PAIRS, warmup=1):
    """Like interleaved() for any number of functions: {name: [seconds, …]}, one run of each per round, the
    order rotated from one round to the next. Ratios of the same round (same load) can then be combined."""
    names = list(functions)
    for _ in range(warmup):
        for name in names:
            functions[name]()
    times = {name: [] for name in names}
    for number in range(pairs):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(timed(functions[name]))
    return times


def median_spread(values):
    """'median (from low to high, n values)' of already computed ratios."""
    values = sorted(values)
    return f"{statistics.median(values):.2f} (de {values[0]:.2f} à {values[-1]:.2f}, {len(values)} paires)"
