"""A migrated database, built once per fingerprint and copied, for every benchmark module.

`migrate` costs about 50 to 65 s of CPU (265 migrations) on SQLite and as much on PostgreSQL: more than most
modules measure. The migrated database is kept as a template under a fingerprint of what makes its schema
(every migration file, the settings files, the installed packages and the settings module), so a new or edited
migration builds it again, and every run starts from a copy of it:

- SQLite: a file in the temporary directory, copied (`copy_migrated`);
- PostgreSQL: a database `biodiv_bench_schema_<fingerprint>`, copied by `CREATE DATABASE … TEMPLATE`
  (`copy_migrated_postgresql`), as Django's --keepdb would keep it.

Safe when two runs race (other worktrees run benchmarks on the same machine and server): a template is built
under a name of its own (process id) and then renamed, which is atomic; the loser of a race drops its copy.
"""

import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "node_modules", ".git"}
SETTINGS_MODULE = "biodiversitheque.settings.bench"
SQLITE_PREFIX = "biodiversitheque-bench-"
PG_TEMPLATE_PREFIX = "biodiv_bench_schema_"
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Templates of other fingerprints kept besides the current one: other worktrees (other migrations) share the
# temporary directory and the server, and dropping theirs would make each run rebuild the other's.
KEPT_OLD = 3


def _schema_sources(root):
    """Migration files and settings files under `root`, in a stable order."""
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if name not in SKIPPED]
        parts = Path(directory).relative_to(root).parts
        if "migrations" in parts or (parts and parts[-1] == "settings"):
            found += [Path(directory, name) for name in files if name.endswith(".py")]
    return sorted(found, key=lambda path: path.relative_to(root).parts)


def fingerprint(root=ROOT, settings_module=None):
    """16 hexadecimal digits that change with any migration, settings file, installed package or the settings
    module: the key of the migrated templates."""
    digest = hashlib.sha256()
    for path in _schema_sources(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    packages = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
    digest.update("\n".join(packages).encode())
    digest.update((settings_module or os.environ.get("DJANGO_SETTINGS_MODULE") or SETTINGS_MODULE).encode())
    return digest.hexdigest()[:16]


def _migrate(env, database_url):
    """`manage.py migrate` in its own process: no connection to the new template stays open in this one."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True,
        env={**env, "DJANGO_SETTINGS_MODULE": env.get("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE),
             "DATABASE_URL": database_url},
    )


# ---------------------------------------------------------------- SQLite

def copy_migrated(destination, env):
    """Put a migrated SQLite database at `destination`; returns True when it had to run `migrate` (cold)."""
    key = fingerprint(settings_module=env.get("DJANGO_SETTINGS_MODULE"))
    directory = Path(tempfile.gettempdir())
    template = directory / f"{SQLITE_PREFIX}{key}.sqlite3"
    built = False
    if not template.exists():
        building = template.with_suffix(f".{os.getpid()}.tmp")
        try:
            _migrate(env, f"sqlite:///{building}")
            os.replace(building, template)  # atomic: a parallel run sees the whole file or none
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{building}{suffix}").unlink(missing_ok=True)
        built = True
        olds = sorted((path for path in directory.glob(f"{SQLITE_PREFIX}*.sqlite3") if path != template),
                      key=lambda path: path.stat().st_mtime, reverse=True)
        for old in olds[KEPT_OLD:]:
            old.unlink(missing_ok=True)
    shutil.copyfile(template, destination)
    return built


# ---------------------------------------------------------------- PostgreSQL

def _admin(admin_url):
    import psycopg

    return psycopg.connect(admin_url, autocommit=True, connect_timeout=3)


def _create_from(admin, name, template):
    """CREATE DATABASE name TEMPLATE template; retried while another run copies the same template (PostgreSQL
    refuses a template that another session is reading)."""
    import psycopg

    for attempt in range(60):
        try:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 59:
                raise
            time.sleep(1)


def copy_migrated_postgresql(database_url, env, admin_url=PG_ADMIN_URL):
    """Re-create the database of `database_url` as a copy of the migrated template (built first when no template
    has this fingerprint); returns True when it had to run `migrate`. Raises psycopg.OperationalError when the
    server does not answer."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    template = f"{PG_TEMPLATE_PREFIX}{fingerprint(settings_module=env.get('DJANGO_SETTINGS_MODULE'))}"
    built = False
    with _admin(admin_url) as admin:
        names = {row[0] for row in admin.execute("SELECT datname FROM pg_database")}
        if template not in names:
            building = f"{template}_{os.getpid()}"
            admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{building}"')
            try:
                _migrate(env, f"{admin_url.rsplit('/', 1)[0]}/{building}")
                admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
            except psycopg.errors.DuplicateDatabase:
                pass  # another run built it meanwhile: use theirs
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            built = True
            _drop_old_templates(admin, template)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _create_from(admin, name, template)
    return built


def _drop_old_templates(admin, current):
    """Drop templates of other fingerprints but the KEPT_OLD newest (by oid, which grows with creation); one in
    use by another run is left for the next time."""
    import psycopg

    olds = [row[0] for row in admin.execute(
        "SELECT datname FROM pg_database WHERE datname ~ %s AND datname <> %s ORDER BY oid DESC",
        [f"^{PG_TEMPLATE_PREFIX}[0-9a-f]+$", current],  # not the databases being built (pid suffix)
    )]
    for old in olds[KEPT_OLD:]:
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{old}"')
        except psycopg.errors.ObjectInUse:
            pass
