"""Every third-party module the code imports (or names in INSTALLED_APPS/MIDDLEWARE) is declared in pyproject.toml."""

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"biodiversitheque", "associations", "ressources", "ateliers", "demarches", "prets", "demo",
               "tests", "bench", "manage"}


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {_normalise(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]) for requirement in requirements}


def _imported_modules():
    files = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    modules = {}
    for name in files:
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [node.module]
            else:
                continue
            for module in found:
                modules.setdefault(module.split(".")[0], name)
    for dotted in [*settings.INSTALLED_APPS, *settings.MIDDLEWARE]:
        modules.setdefault(dotted.split(".")[0], "settings")
    return modules


def test_every_imported_third_party_module_is_declared():
    distributions = importlib.metadata.packages_distributions()
    declared = _declared()
    missing = {}
    for module, where in _imported_modules().items():
        if module in FIRST_PARTY or module in sys.stdlib_module_names:
            continue
        names = {_normalise(d) for d in distributions.get(module, [module])}
        if not names & declared:
            missing[module] = where
    assert not missing, f"Modules importés mais non déclarés dans pyproject.toml : {missing}"
