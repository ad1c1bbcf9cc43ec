#!/usr/bin/env bash
# The development/test OpenSearch node: build | start | stop | status. Data, logs and pidfile in var/opensearch/.
# SEARCH_NODE_PORT (9200) and SEARCH_NODE_HOME (var/opensearch) may be changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/tools/opensearch"
home="${SEARCH_NODE_HOME:-$root/var/opensearch}"
port="${SEARCH_NODE_PORT:-9200}"
pidfile="$home/node.pid"
url="http://127.0.0.1:$port"

healthy() {
  python3 - "$url" <<'PY' 2>/dev/null
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_cluster/health", timeout=2) as r:
    sys.exit(0 if json.load(r)["status"] in ("green", "yellow") else 1)
PY
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

build() {
  command -v java >/dev/null && command -v mvn >/dev/null || {
    echo "!! Java ou Maven absent : nœud OpenSearch non construit (apt-get install default-jdk-headless maven)." >&2
    return 1
  }
  # Rebuilt only when the launcher changed; artifacts come from Maven Central (cached in ~/.m2).
  if [ ! -f "$here/target/search-node.ok" ] || [ -n "$(find "$here/pom.xml" "$here/src" -newer "$here/target/search-node.ok" -print -quit)" ]; then
    echo "Construction du nœud OpenSearch (Maven)…"
    mvn -B -q -f "$here/pom.xml" package -DskipTests
    touch "$here/target/search-node.ok"
  fi
}

start() {
  if running && healthy; then echo "OpenSearch déjà démarré sur $url"; return 0; fi
  if healthy; then echo "!! Un autre serveur répond déjà sur $url" >&2; return 1; fi
  build
  mkdir -p "$home/logs"
  # setsid: the node outlives the shell that started it (make, CI) and is stopped only by `stop`.
  setsid java -Xms512m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -cp "$here/target/search-node-1.0.jar:$here/target/lib/*" fr.biodiversitheque.searchnode.SearchNode \
    "$home" "$port" >"$home/logs/node.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  echo "Démarrage d'OpenSearch sur $url (journal : $home/logs/node.log)…"
  for _ in $(seq 1 180); do
    if healthy; then echo "OpenSearch prêt sur $url"; return 0; fi
    running || break
    sleep 1
  done
  echo "!! OpenSearch n'a pas démarré ; fin du journal :" >&2
  tail -n 20 "$home/logs/node.log" >&2
  stop >/dev/null
  return 1
}

stop() {
  if running; then
    pid="$(cat "$pidfile")"
    kill "$pid"  # SIGTERM: the node's shutdown hook closes its indexes cleanly
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "OpenSearch arrêté."
  else
    echo "OpenSearch n'était pas démarré."
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) stop ;;
  status) if running && healthy; then echo "OpenSearch démarré sur $url"; else echo "OpenSearch arrêté"; exit 1; fi ;;
  *) echo "usage: $0 build|start|stop|status" >&2; exit 2 ;;
esac
