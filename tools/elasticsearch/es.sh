#!/usr/bin/env bash
# A real Elasticsearch cluster on loopback for tests and development (not for production).
#
#   es.sh start [N]      fetch (Maven) if needed, start N nodes (default 1), wait for health
#   es.sh stop           stop every node of this cluster
#   es.sh stop-node K    stop node K (1-based), e.g. to test failover
#   es.sh start-node K   start node K again
#   es.sh url            print the URL of node 1
#
# Settings (environment): ES_BASE (default /tmp/gongkai-es), ES_HTTP_PORT (default 9201,
# node K listens on ES_HTTP_PORT+K-1), ES_HEAP (default 512m), ES_CLUSTER (default gongkai-test).
# Elasticsearch refuses to run as root, so as root the nodes run as the system user `esrun`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BASE=${ES_BASE:-/tmp/gongkai-es}
HTTP=${ES_HTTP_PORT:-9201}
TRANSPORT=${ES_TRANSPORT_PORT:-$((HTTP + 100))}
HEAP=${ES_HEAP:-512m}
CLUSTER=${ES_CLUSTER:-gongkai-test}
VERSION=$(sed -n 's:.*<es.version>\(.*\)</es.version>.*:\1:p' "$here/pom.xml")
HOME_DIR="$BASE/elasticsearch-$VERSION"

java_home() {
  if [ -n "${ES_JAVA_HOME:-}" ]; then echo "$ES_JAVA_HOME"; return; fi
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

as_es() {
  if [ "$(id -u)" = 0 ]; then runuser -u esrun -- "$@"; else "$@"; fi
}

fetch() {
  [ -x "$HOME_DIR/bin/elasticsearch" ] && return
  command -v java >/dev/null || { echo "es.sh: java not found (install a JDK 17+)" >&2; exit 1; }
  command -v mvn >/dev/null || { echo "es.sh: mvn not found (install Maven)" >&2; exit 1; }
  mkdir -p "$BASE"
  mvn -q -B -f "$here/pom.xml" dependency:unpack -Des.dist="$BASE" >&2
  if [ "$(id -u)" = 0 ]; then
    id -u esrun >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin esrun
  fi
}

node_count() { cat "$BASE/nodes" 2>/dev/null || echo 1; }

start_node() {
  local k=$1 n; n=$(node_count)
  local dir="$BASE/node-$k" seeds="" masters=""
  for i in $(seq 1 "$n"); do
    seeds="$seeds${seeds:+,}127.0.0.1:$((TRANSPORT + i - 1))"
    masters="$masters${masters:+,}node-$i"
  done
  mkdir -p "$dir/data" "$dir/logs"
  [ -d "$dir/config" ] || cp -r "$HOME_DIR/config" "$dir/config"
  [ "$(id -u)" = 0 ] && chown -R esrun "$dir" "$HOME_DIR"
  local discovery=(-Ediscovery.seed_hosts="$seeds" -Ecluster.initial_master_nodes="$masters")
  [ "$n" = 1 ] && discovery=(-Ediscovery.type=single-node)
  as_es env ES_JAVA_HOME="$(java_home)" ES_PATH_CONF="$dir/config" \
    ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" \
    "$HOME_DIR/bin/elasticsearch" -d -p "$dir/pid" \
    -Ecluster.name="$CLUSTER" -Enode.name="node-$k" \
    -Enetwork.host=127.0.0.1 -Ehttp.port=$((HTTP + k - 1)) -Etransport.port=$((TRANSPORT + k - 1)) \
    -Epath.data="$dir/data" -Epath.logs="$dir/logs" \
    -Expack.security.enabled=false -Expack.ml.enabled=false \
    -Ecluster.routing.allocation.disk.threshold_enabled=false \
    "${discovery[@]}" >"$dir/logs/console.log" 2>&1 </dev/null
}

wait_health() {
  local n=$1 url="http://127.0.0.1:$HTTP"
  for _ in $(seq 1 180); do
    if curl -fsS "$url/_cluster/health?wait_for_nodes=$n&timeout=1s" 2>/dev/null | grep -q '"status":"\(green\|yellow\)"'; then
      echo "$url"
      return 0
    fi
    sleep 1
  done
  echo "es.sh: cluster did not become healthy; logs in $BASE/node-*/logs" >&2
  exit 1
}

stop_node() {
  local pidfile="$BASE/node-$1/pid"
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

case "${1:-}" in
  start)
    n=${2:-1}
    fetch
    "$0" stop
    rm -rf "$BASE"/node-*
    echo "$n" > "$BASE/nodes"
    for k in $(seq 1 "$n"); do start_node "$k"; done
    wait_health "$n" ;;
  stop)
    for d in "$BASE"/node-*; do [ -d "$d" ] && stop_node "${d##*-}"; done; true ;;
  stop-node) stop_node "$2" ;;
  start-node) start_node "$2"; wait_health "$(node_count)" ;;
  url) echo "http://127.0.0.1:$HTTP" ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
