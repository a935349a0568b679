#!/usr/bin/env bash
# Times `teleport start` from exec until it prints that the auth service is running: first start (a new data dir,
# CAs generated) and restart (existing data dir). Prints the median of RUNS runs of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
runs=${RUNS:-5}
dotnet build cli/teleport/teleport.csproj -c Release -nologo -v q >/dev/null
dll=cli/teleport/bin/Release/net10.0/teleport.dll

time_start() { # data_dir -> milliseconds until ready
  local dir=$1 log=$work/log.$RANDOM auth diag start pid
  auth=$(free_port); diag=$(free_port)
  mkdir -p "$dir"; : > "$log"
  printf 'version: v3\nteleport:\n  data_dir: %s\n  diag_addr: 127.0.0.1:%s\nauth_service:\n  listen_addr: 127.0.0.1:%s\nproxy_service:\n  enabled: false\nssh_service:\n  enabled: false\n' \
    "$dir" "$diag" "$auth" > "$dir.yaml"
  start=$(date +%s%N)
  TELEPORT_SILO_PORT=$(free_port) TELEPORT_GATEWAY_PORT=$(free_port) dotnet "$dll" start --config "$dir.yaml" > "$log" 2>&1 &
  pid=$!
  until grep -q "Auth service is running" "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.02
  done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

first=(); again=()
for i in $(seq "$runs"); do
  first+=("$(time_start "$work/d$i")")
  again+=("$(time_start "$work/d$i")")
done
echo "first start (new data dir):     $(printf '%s\n' "${first[@]}" | median) ms median of $runs (${first[*]})"
echo "restart (existing data dir):    $(printf '%s\n' "${again[@]}" | median) ms median of $runs (${again[*]})"
