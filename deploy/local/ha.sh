#!/usr/bin/env bash
# The HA guide's topology on one machine, on loopback:
#   ha.sh up --backend postgresql|etcd|dynamodb|azure --dir DIR [--silos N] [--proxies N]
#   ha.sh down --dir DIR
#   ha.sh start NAME --dir DIR     (starts one process of DIR again, e.g. after a fault script killed it)
# `up` starts the backend server, N auth servers (silos, default 2), N proxies (default 2), haproxy with the shipped
# deploy/haproxy/haproxy.cfg as the public and the private L4 load balancer, and one node `node1` whose reverse
# tunnel goes through the public load balancer. It waits until every process is ready, then writes DIR/env
# (WEB_ADDR SSH_ADDR TUNNEL_ADDR AUTH_ADDR TCTL_CONFIG, and each process's diagnostics address) and
# DIR/pids/NAME.pid. `down` stops exactly the processes named there. Every port is a free loopback port.
# Needs: the built solution (dotnet build), haproxy, and the backend's server (Debian postgresql or etcd-server;
# node with tests/TestServers/npm installed for dynalite and Azurite). PostgreSQL refuses root: as root it runs as
# the user teleport-test (or postgres).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
here="$repo/deploy/local"
# shellcheck source=deploy/local/ha-lib.sh
source "$here/ha-lib.sh"

usage() {
  echo "usage: ha.sh up --backend postgresql|etcd|dynamodb|azure --dir DIR [--silos N] [--proxies N]" >&2
  echo "       ha.sh down --dir DIR" >&2
  echo "       ha.sh start NAME --dir DIR" >&2
  exit 2
}

command="${1:-}"
[ -n "$command" ] || usage
shift
name="" dir="" backend="" silos=2 proxies=2
if [ "$command" = start ]; then name="${1:-}"; shift || true; fi
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --backend) backend="$2"; shift 2 ;;
    --silos) silos="$2"; shift 2 ;;
    --proxies) proxies="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$dir" ] || usage

case "$command" in
  up)
    case "$backend" in postgresql | etcd | dynamodb | azure) ;; *) usage ;; esac
    [[ "$silos" =~ ^[1-9][0-9]*$ && "$proxies" =~ ^[1-9][0-9]*$ ]] || usage
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if ls "$dir"/pids/*.pid >/dev/null 2>&1; then
      echo "ERROR: $dir already holds a cluster (pids/); run ha.sh down --dir $dir first." >&2
      exit 1
    fi
    ha_up "$dir" "$backend" "$silos" "$proxies"
    ;;
  down)
    ha_down "$(cd "$dir" && pwd)"
    ;;
  start)
    [ -n "$name" ] || usage
    dir="$(cd "$dir" && pwd)"
    ha_start_ready "$dir" "$name" 120
    if [ "$name" = backend ]; then ha_backend_pid "$dir"; fi
    ;;
  *) usage ;;
esac
