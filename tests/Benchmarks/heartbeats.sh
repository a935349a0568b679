#!/usr/bin/env bash
# Node heartbeats per second through the gRPC auth API for NODES (default 10,000) distinct simulated nodes, against
# the 333/s that 10,000 nodes heartbeating every 30 s need, and the time to list them all: through the API in pages
# of 1000, and as `tctl nodes ls` (a whole process run, table included). Auth runs on SQLite in a temp dir.
# NODES and CONCURRENCY (default 64) tune the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
nodes=${NODES:-10000}
concurrency=${CONCURRENCY:-64}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build cli/teleport/teleport.csproj -c Release -nologo -v q >/dev/null
dotnet build cli/tctl/tctl.csproj -c Release -nologo -v q >/dev/null
dotnet build tests/Benchmarks/HeartbeatBenchmark/HeartbeatBenchmark.csproj -c Release -nologo -v q >/dev/null

work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

auth=$(free_port)
printf 'version: v3\nteleport:\n  data_dir: %s/data\n  diag_addr: 127.0.0.1:%s\nauth_service:\n  listen_addr: 127.0.0.1:%s\nproxy_service:\n  enabled: false\nssh_service:\n  enabled: false\n' \
  "$work" "$(free_port)" "$auth" > "$work/teleport.yaml"
: > "$work/teleport.log"
TELEPORT_SILO_PORT=$(free_port) TELEPORT_GATEWAY_PORT=$(free_port) \
  dotnet cli/teleport/bin/Release/net10.0/teleport.dll start --config "$work/teleport.yaml" > "$work/teleport.log" 2>&1 &
pid=$!
until grep -q "Auth service is running" "$work/teleport.log"; do kill -0 "$pid" || { cat "$work/teleport.log"; exit 1; }; sleep 0.1; done

out=$(dotnet tests/Benchmarks/HeartbeatBenchmark/bin/Release/net10.0/HeartbeatBenchmark.dll "127.0.0.1:$auth" "$work/data/admin.identity" "$nodes" "$concurrency")
echo "$out"
steady=$(echo "$out" | awk -F'= ' '/^steady/ { sub("/s", "", $2); print $2 }')
first=$(echo "$out" | awk -F'= ' '/^first/ { sub("/s", "", $2); print $2 }')
echo "needed: 333/s (10,000 nodes every 30 s)"
echo "ratio steady/needed: $(awk -v a="$steady" 'BEGIN { printf "%.1f", a / 333 }')   ratio first/needed: $(awk -v a="$first" 'BEGIN { printf "%.1f", a / 333 }')"

start=$(date +%s%N)
rows=$(dotnet cli/tctl/bin/Release/net10.0/tctl.dll --config "$work/teleport.yaml" nodes ls | wc -l)
end=$(date +%s%N)
echo "tctl nodes ls: $((rows - 2)) rows in $(( (end - start) / 1000000 )) ms (whole process)"
