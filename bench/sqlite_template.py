"""A migrated SQLite database, built once and copied: `migrate` costs about 50 s of CPU (265 migrations), more
than the import and observation benchmarks themselves. The copy is kept in the temporary directory under a key
made of every migration file, the settings and the installed packages, so any change builds it again."""

import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "node_modules", ".git"}


def _key():
    digest = hashlib.sha256()
    sources = [
        path for path in sorted(ROOT.rglob("*.py"))
        if not SKIPPED & set(path.relative_to(ROOT).parts)
        and ("migrations" in path.parts or path.parent.name == "settings")
    ]
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    packages = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
    digest.update("\n".join(packages).encode())
    digest.update(os.environ.get("DJANGO_SETTINGS_MODULE", "").encode())
    return digest.hexdigest()[:16]


def copy_migrated(destination, env):
    """Put a migrated database at `destination`; returns True when it had to run `migrate` (cold cache)."""
    template = Path(tempfile.gettempdir()) / f"biodiversitheque-bench-{_key()}.sqlite3"
    built = False
    if not template.exists():
        building = template.with_suffix(f".{os.getpid()}.tmp")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True,
            env={**env, "DATABASE_URL": f"sqlite:///{building}"},
        )
        os.replace(building, template)  # atomic: a parallel run sees the whole file or none
        built = True
    shutil.copyfile(template, destination)
    return built
