#!/usr/bin/env bash
# Node heartbeats per second through the gRPC auth API for NODES (default 10,000) distinct simulated nodes, against
# the 333/s that 10,000 nodes heartbeating every 30 s need, and the time to list them all: through the API in pages
# of 1000, and as `tctl nodes ls` (a whole process run, table included). Auth runs on SQLite in a temp dir.
# NODES and CONCURRENCY (default 64) tune the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
nodes=${NODES:-10000}
concurrency=${CONCURRENCY:-64}
dotnet build cli/teleport/teleport.csproj -c Release -nologo -v q >/dev/null
dotnet build cli/tctl/tctl.csproj -c Release -nologo -v q >/dev/null
dotnet build tests/Benchmarks/HeartbeatBenchmark/HeartbeatBenchmark.csproj -c Release -nologo -v q >/dev/null

start_auth cli/teleport/bin/Release/net10.0/teleport.dll

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
