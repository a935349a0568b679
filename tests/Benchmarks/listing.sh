#!/usr/bin/env bash
# Listing NODES (default 10,000) nodes, as a user meets it: `tsh ls` and `tctl nodes ls` as whole commands, the calls
# tsh ls makes to the proxy (every page of 10,000 of the web API's resources call, with the TLS certificate of tsh's
# login), and the web UI's first resources page. The nodes are registered by heartbeat through the auth API
# (HeartbeatBenchmark), without tunnels, so a run takes about a minute; tunnels-scale.sh lists tunnelled nodes in the
# same way while 10,000 tunnels are held.
# Settings (environment): NODES, RUNS (20, whole commands), API_RUNS (100, all pages), WEB_RUNS (200), SPLIT=1 (auth
# and proxy as two processes), PERF=FILE (CPU profile of the proxy while the API runs), NO_BUILD=1, CONFIGURATION,
# TSH_NATIVE (a tsh published with Native AOT; default: publish it to cli/tsh/bin/aot, about a minute; NATIVE=0 skips
# the native rows), TSH_PERF=FILE (CPU profile of one native `tsh ls`, with the proxy's over the same time in
# FILE.proxy).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
nodes=${NODES:-10000}
runs=${RUNS:-20}
api_runs=${API_RUNS:-100}
web_runs=${WEB_RUNS:-200}
split=${SPLIT:-0}
cluster=bench.example.com

build_bench cli/tsh/tsh.csproj tests/Benchmarks/HeartbeatBenchmark/HeartbeatBenchmark.csproj
tsh() { TSH_HOME="$work/tsh" dotnet "$PWD/cli/tsh/bin/$configuration/net10.0/tsh.dll" "$@"; }
native=${NATIVE:-1}
tsh_native_bin=${TSH_NATIVE:-$PWD/cli/tsh/bin/aot/tsh}
if [ "$native" = 1 ] && [ -z "${TSH_NATIVE:-}" ] && [ "${NO_BUILD:-0}" != 1 -o ! -x "$tsh_native_bin" ]; then
  "${lock[@]}" dotnet publish cli/tsh -c Release -r linux-x64 -nologo -v q -o "${tsh_native_bin%/*}" >/dev/null
fi
tsh_native() { TSH_HOME="$work/tsh" "$tsh_native_bin" "$@"; }

perf_map_on
if [ "$split" = 1 ]; then
  CLUSTER_NAME=$cluster start_split
else
  CLUSTER_NAME=$cluster start_cluster
  proxy_pid=$cluster_pid
fi
perf_map_off

add_bench_user "$(id -un)"
echo "bench password" | tsh login --proxy="127.0.0.1:$web" --user=bench --insecure >/dev/null
dotnet "tests/Benchmarks/HeartbeatBenchmark/bin/$configuration/net10.0/HeartbeatBenchmark.dll" "127.0.0.1:$auth" \
  "$work/data/admin.identity" "$nodes" 64 | head -n 1

resources_as_tsh
until [ "$(resources 'limit=1' | jq .totalCount)" -ge "$nodes" ]; do sleep 1; done

echo "listing $nodes nodes ($([ "$split" = 1 ] && echo "proxy apart from auth" || echo "auth+proxy in one process")):"
rows=$(tsh ls | wc -l)
[ "$rows" -ge "$nodes" ] || { echo "tsh ls listed $rows rows, expected $nodes" >&2; exit 1; }
if [ -n "${PERF:-}" ]; then
  perf record -e cpu-clock -F 999 -g -p "$proxy_pid" -o "$PERF" > "$work/perf.log" 2>&1 &
  perf_pid=$!
  pids+=("$perf_pid")
fi
for _ in $(seq "$api_runs"); do list_all_pages "$nodes" 10000; done | percentiles "tsh ls API calls (all pages of 10000, as tsh asks)"
if [ -n "${PERF:-}" ]; then kill -INT "$perf_pid" 2>/dev/null || true; wait "$perf_pid" || true; fi
for _ in $(seq "$api_runs"); do list_all_pages "$nodes" 1000; done | percentiles "the same in pages of 1000 (tsh before session 16)"
first_page_ms "$web_runs" | percentiles "web resources first page (100)"
for _ in $(seq "$runs"); do timed tsh ls; done | percentiles "tsh ls (whole command)"
for _ in $(seq "$runs"); do timed tctl nodes ls; done | percentiles "tctl nodes ls (whole command)"
for _ in $(seq "$runs"); do timed tsh ls --format=json; done | percentiles "tsh ls --format=json (whole command)"
for _ in $(seq "$runs"); do timed tsh --version; done | percentiles "tsh --version (a .NET process start)"
if [ "$native" = 1 ]; then
  rows=$(tsh_native ls | wc -l)
  [ "$rows" -ge "$nodes" ] || { echo "native tsh ls listed $rows rows, expected $nodes" >&2; exit 1; }
  for _ in $(seq "$runs"); do timed tsh_native ls; done | percentiles "tsh ls, native tsh (whole command)"
  for _ in $(seq "$runs"); do timed tsh_native ls --format=json; done | percentiles "tsh ls --format=json, native tsh"
  for _ in $(seq "$runs"); do timed tsh_native --version; done | percentiles "tsh --version, native tsh"
  # What every web call of tsh costs before any listing: start, profile and keys, the TLS handshake with the user's
  # certificate (on Linux .NET reads the system's CA certificates for it), one small answer.
  for _ in $(seq "$runs"); do timed tsh_native apps ls; done | percentiles "tsh apps ls, native tsh (one small web call)"
  if [ -n "${TSH_PERF:-}" ]; then
    perf record -e cpu-clock -F 999 -g -p "$proxy_pid" -o "$TSH_PERF.proxy" > "$work/perf-proxy.log" 2>&1 &
    perf_pid=$!
    pids+=("$perf_pid")
    sleep 1
    TSH_HOME="$work/tsh" perf record -e cpu-clock -F 4999 -g -o "$TSH_PERF" -- "$tsh_native_bin" ls > /dev/null 2> "$work/perf-tsh.log"
    kill -INT "$perf_pid" 2>/dev/null || true; wait "$perf_pid" || true
    echo "perf: one native tsh ls -> $TSH_PERF"
    perf_top "$TSH_PERF" dso 8
    perf_top "$TSH_PERF" sym 30
    echo "perf: the proxy during it -> $TSH_PERF.proxy"
    perf_top "$TSH_PERF.proxy" dso 8
    perf_top "$TSH_PERF.proxy" sym 20
  fi
fi
if [ -n "${PERF:-}" ]; then
  echo "perf: the proxy while the API calls ran -> $PERF"
  perf_top "$PERF" dso 8
  perf_top "$PERF" sym
fi
