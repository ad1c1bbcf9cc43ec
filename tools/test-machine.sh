#!/usr/bin/env bash
# Sets up what the tests need, as far as this machine allows: as root with apt, Debian's Chromium,
# PostgreSQL (cluster started, loopback access without password) and Java + Maven for the search node.
# Elsewhere, one line per part that cannot be set up, and how to get it. Safe to run again: it changes
# nothing that is already in place (a running cluster is neither restarted nor reconfigured).
set -uo pipefail
cd "$(dirname "$0")/.."

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_updated=""
apt_install() {
  local missing=""
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
  [ -z "$missing" ] && return 0
  echo "Installation des paquets Debian :$missing"
  if [ -z "$apt_updated" ]; then apt-get update -qq && apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

pg_up() { python3 -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1).close()" 2>/dev/null; }

# -- Chromium (browser and accessibility tests)
if ! command -v chromium >/dev/null; then
  if can_install; then apt_install $(cat .ci/apt-packages 2>/dev/null || echo chromium)
  else echo "!! Chromium absent : tests navigateur non exécutés (sudo apt-get install chromium)."; fi
fi

# -- PostgreSQL
if ! pg_up; then
  if can_install; then
    command -v pg_ctlcluster >/dev/null && [ -n "$(ls /etc/postgresql 2>/dev/null)" ] || apt_install postgresql
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    [ -d "/etc/postgresql/$version/main" ] || pg_createcluster "$version" main >/dev/null
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    # Tests connect as postgres over TCP without password: trust loopback only, first rules of the file.
    if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
      { echo "host    all             all             127.0.0.1/32            trust"
        echo "host    all             all             ::1/128                 trust"
        cat "$hba"; } >"$hba.new" && mv "$hba.new" "$hba" && chown postgres:postgres "$hba"
    fi
    echo "Démarrage de PostgreSQL $version…"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
    pg_up || echo "!! PostgreSQL n'a pas démarré (voir /var/log/postgresql/)."
  else
    echo "!! PostgreSQL injoignable sur 127.0.0.1:5432 : tests PostgreSQL non exécutés (docs/exploitation.md)."
  fi
fi

# -- Java and Maven (the OpenSearch search node, built from Maven Central)
if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
  if can_install; then apt_install default-jdk-headless maven
  else echo "!! Java ou Maven absent : tests sur OpenSearch non exécutés (sudo apt-get install default-jdk-headless maven)."; fi
fi
exit 0
