#!/usr/bin/env bash
# Server time of the web UI's node listing (GET /v1/webapi/sites/SITE/resources) with NODES registered nodes
# (default 10000, agentless, created with one `tctl create`), as a signed-in browser calls it (session cookie and
# bearer token). Each figure is the p50 and p99 over RUNS requests (default 200) of curl's
# time_starttransfer - time_pretransfer: from the request sent to the first response byte on loopback, i.e. the
# proxy's handling plus one loopback round trip. Cases: first page (100, by hostname), a word search, a label filter,
# descending sort, and page 50 (startKey). Every process is stopped by PID at the end.
# Settings (environment): NODES (10000), RUNS (200), CONFIGURATION (Release), BUILD_LOCK=FILE.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
nodes=${NODES:-10000}
runs=${RUNS:-200}

build_bench
CLUSTER_NAME=bench.example.com start_cluster
add_bench_user root

python3 - "$nodes" > "$work/nodes.yaml" <<'PY'
import sys, uuid
teams = ["db", "web", "cache", "queue", "search"]
for i in range(int(sys.argv[1])):
    print("---")
    print("kind: node\nsub_kind: openssh\nversion: v2")
    print(f"metadata:\n  name: {uuid.uuid4()}\n  labels:\n    env: {'prod' if i % 4 else 'staging'}\n    team: {teams[i % 5]}")
    print(f"spec:\n  addr: 10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}:22\n  hostname: host-{i:05d}")
PY
start=$(now_ns)
tctl create "$work/nodes.yaml" >/dev/null
echo "created $nodes nodes in $(( ($(now_ns) - start) / 1000000 )) ms"

curl -ksf -D "$work/login.headers" -o "$work/login.json" -X POST "https://127.0.0.1:$web/v1/webapi/sessions/web" \
  -H 'Content-Type: application/json' -d '{"user":"bench","pass":"bench password"}'
cookie=$(grep -io '__Host-session=[0-9a-f]*' "$work/login.headers")
bearer=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$work/login.json")
get() { curl -ksf -H "Cookie: $cookie" -H "Authorization: Bearer $bearer" "https://127.0.0.1:$web/v1/webapi/sites/bench.example.com/resources?kinds=node&$1" "${@:2}"; }

# The routing cache fills from the change feed: wait until the proxy lists every node.
until [ "$(get 'limit=1' | python3 -c 'import json,sys; print(json.load(sys.stdin)["totalCount"])')" = "$nodes" ]; do sleep 0.5; done
page50=$(get 'limit=4900' | python3 -c 'import json,sys; print(json.load(sys.stdin)["startKey"])')

measure() { # name query -> "name p50 p99" in ms
  for _ in $(seq "$runs"); do
    get "$2" -o /dev/null -w '%{time_pretransfer} %{time_starttransfer}\n'
  done | awk '{ printf "%.2f\n", ($2 - $1) * 1000 }' | sort -n > "$work/times"
  awk -v name="$1" '{ a[NR] = $1 } END { printf "%-16s p50 %6.2f ms  p99 %6.2f ms\n", name, a[int((NR + 1) / 2)], a[int(NR * 0.99 + 0.5)] }' "$work/times"
}
echo "GET /v1/webapi/sites/SITE/resources with $nodes nodes, $runs requests each ($configuration):"
measure "first page" "limit=100"
measure "search" "limit=100&search=host-07"
measure "label filter" "limit=100&labels=env=staging,team=db"
measure "sort desc" "limit=100&sort=hostname:desc"
measure "page 50" "limit=100&startKey=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1]))' "$page50")"
