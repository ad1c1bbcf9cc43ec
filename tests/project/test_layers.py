"""The house's one rule: each layer imports only the layers below it (docs/architecture.md).

Read from the source, as Python would import it: a module-level import, a function-level one, and a
migration's dependencies. No database, no import of the code itself.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parents[2]

# Bottom first. An app may import its own modules and those of lower layers, never a sideways or upper one.
LAYERS = [
    ("biodiversitheque.core",),
    ("biodiversitheque.search",),
    ("associations",),
    ("ressources",),
    ("ateliers",),
    ("demarches", "prets"),
    ("biodiversitheque.portal", "biodiversitheque.settings", "biodiversitheque.wsgi"),
    ("demo",),
]
APP_LABELS = {
    "biodiversitheque": "biodiversitheque.core", "sitesearch": "biodiversitheque.search",
    "associations": "associations", "ressources": "ressources", "ateliers": "ateliers",
    "demarches": "demarches", "prets": "prets", "portal": "biodiversitheque.portal",
}
MAX_FUNCTION_LEVEL_IMPORTS = 15


def layer_of(module):
    for rank, apps in enumerate(LAYERS):
        for app in apps:
            if module == app or module.startswith(app + "."):
                return rank, app
    return None


def source_files():
    for rank_apps in LAYERS:
        for app in rank_apps:
            base = ROOT.joinpath(*app.split("."))
            paths = [base.with_suffix(".py")] if base.with_suffix(".py").exists() else base.rglob("*.py")
            for path in paths:
                if "migrations" not in path.relative_to(ROOT).parts:
                    yield path


def is_module(dotted):
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class Imports(ast.NodeVisitor):
    """Project modules a file imports: (target, line, inside a function?)."""

    def __init__(self, module, is_package):
        self.package = module if is_package else module.rpartition(".")[0]
        self.depth = 0
        self.found = []

    def visit_FunctionDef(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def _add(self, target, node, names=()):
        if layer_of(target) is None:
            return
        # "from package import module" imports the module, not only the package.
        targets = [f"{target}.{name}" for name in names if is_module(f"{target}.{name}")]
        for found in targets or [target]:
            self.found.append((found, node.lineno, self.depth > 0))

    def visit_Import(self, node):
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node):
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module
        self._add(target, node, [alias.name for alias in node.names])


def read_house():
    imports = {}
    lines = {}
    for path in source_files():
        module = module_name(path)
        text = path.read_text(encoding="utf-8")
        visitor = Imports(module, path.name == "__init__.py")
        visitor.visit(ast.parse(text))
        imports[module] = visitor.found
        lines[module] = (path, text.splitlines())
    return imports, lines


HOUSE = read_house()


def test_every_import_goes_down_or_stays_in_its_app():
    imports, lines = HOUSE
    wrong = []
    for module, found in imports.items():
        rank, app = layer_of(module)
        for target, line, _inside in found:
            target_rank, target_app = layer_of(target)
            if target_app != app and target_rank >= rank:
                wrong.append(f"{lines[module][0].relative_to(ROOT)}:{line} → {target}")
    assert wrong == []


def test_function_level_imports_are_few_and_say_why():
    imports, lines = HOUSE
    inside = sorted({
        (module, line) for module, found in imports.items() for _target, line, is_inside in found if is_inside
    })
    unexplained = [
        f"{lines[module][0].relative_to(ROOT)}:{line}" for module, line in inside
        if "#" not in lines[module][1][line - 1]
    ]
    assert len(inside) <= MAX_FUNCTION_LEVEL_IMPORTS, sorted(f"{m}:{line}" for m, line in inside)
    assert unexplained == []


def _cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return result


def test_no_import_circle_between_files():
    imports, _lines = HOUSE
    graph = defaultdict(set)
    for module, found in imports.items():
        for target, _line, inside in found:
            if not inside and target != module and target in imports:
                graph[module].add(target)
    assert _cycles(graph) == []


@pytest.mark.django_db
def test_migrations_depend_only_on_their_app_and_those_below():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    wrong = []
    for (label, name), migration in loader.disk_migrations.items():
        if label not in APP_LABELS:
            continue
        rank, _app = layer_of(APP_LABELS[label])
        for dep_label, _dep_name in migration.dependencies:
            if dep_label in APP_LABELS and dep_label != label and layer_of(APP_LABELS[dep_label])[0] >= rank:
                wrong.append(f"{label}.{name} → {dep_label}")
    assert wrong == []


def test_the_layer_list_matches_installed_apps_order():
    project_apps = [app for app in settings.INSTALLED_APPS if layer_of(app) and app != "demo"]
    assert project_apps == sorted(project_apps, key=lambda app: layer_of(app)[0])
