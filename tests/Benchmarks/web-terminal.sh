#!/usr/bin/env bash
# The web terminal on the proxy, same cluster and node as `tsh ssh` (auth + proxy in one `teleport start`, a node
# service on this host):
# 1. keystroke-to-echo: a WebSocket client (webterm-client.mjs: the web UI's token handshake and protobuf envelopes)
#    signs in through the web API, opens a terminal, runs `cat > /dev/null` and types one byte at a time, timing the
#    echo of each (KEYS after WARMUP untimed); `tsh ssh -t` the same way in a pseudo-terminal, same run. Prints the
#    median and p99 in µs and the ratio web/tsh.
# 2. memory: opens TERMINALS idle web terminals (after one opened and closed, so the code paths are warm) and prints
#    the teleport process's RSS growth and managed heap growth (dotnet-counters, when installed in ~/.dotnet/tools)
#    per terminal. The process also runs the auth service, which keeps a session tracker per terminal too.
# Every process is stopped by PID at the end and the temporary directory removed.
# Settings (environment): KEYS (200), WARMUP (100), TERMINALS (100), BUILD_LOCK=FILE, NO_BUILD=1 (use the builds
# there are), TSH_DLL=PATH (time that tsh build instead of the repository's Release one).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
keys=${KEYS:-200}
warmup=${WARMUP:-100}
terminals=${TERMINALS:-100}
site=bench.example.com

command -v node >/dev/null || { echo "install Node.js first" >&2; exit 1; }
build_bench cli/tsh/tsh.csproj
tsh=(dotnet "${TSH_DLL:-$PWD/cli/tsh/bin/$configuration/net10.0/tsh.dll}")

# The login rate limit raised: every terminal signs in from 127.0.0.1.
TELEPORT_LINES=$(printf '  connection_limits:\n    rates:\n    - period: 1m\n      average: 1000\n      burst: 1000') \
  CLUSTER_NAME=$site start_cluster
server=$cluster_pid
login=$(id -un)
add_bench_user "$login"
start_bench_node

export TSH_HOME=$work/tsh
echo "bench password" | "${tsh[@]}" login --proxy="127.0.0.1:$web" --user=bench --insecure >/dev/null 2>&1

# The browser's sign-in: the session cookie and the bearer token.
curl -ksf -D "$work/login.headers" -o "$work/login.json" -X POST "https://127.0.0.1:$web/v1/webapi/sessions/web" \
  -H 'Content-Type: application/json' -d '{"user":"bench","pass":"bench password"}'
cookie=$(grep -io '__Host-session=[^;[:space:]]*' "$work/login.headers")
bearer=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$work/login.json")
client=(node tests/Benchmarks/webterm-client.mjs)
connect=("$web" "$site" "$cookie" "$bearer" bench-node "$login")

web_result=$("${client[@]}" echo "${connect[@]}" "$keys" "$warmup")
tsh_result=$(echo_latency "${tsh[@]}" ssh -t "$login@bench-node" 'echo READY; exec cat > /dev/null')
read -r web_median web_p99 <<<"$web_result"
read -r tsh_median tsh_p99 <<<"$tsh_result"
echo "keystroke-to-echo through the proxy to the node service, $keys keystrokes after $warmup untimed (load $(cut -d' ' -f1-3 /proc/loadavg)):"
echo "  web terminal (WebSocket): median $web_median µs   p99 $web_p99 µs"
echo "  tsh ssh -t:               median $tsh_median µs   p99 $tsh_p99 µs"
echo "  ratio web/tsh:            median $(ratio "$web_median" "$tsh_median")   p99 $(ratio "$web_p99" "$tsh_p99")"

# Memory: RSS from /proc, the managed heap from dotnet-counters (the size after the last collection) when present.
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$server/status"; }
heap_bytes() {
  local counters=$HOME/.dotnet/tools/dotnet-counters
  [ -x "$counters" ] || { echo "-"; return; }
  "$counters" collect -p "$server" --counters System.Runtime --format csv -o "$work/counters.csv" --duration 00:00:00:04 >/dev/null 2>&1 || { echo "-"; return; }
  # The newest "GC heap size" figure (.NET's System.Runtime meter or its older event counter).
  awk -F, 'tolower($0) ~ /gc.*heap.size|gc heap size/ && $NF ~ /^[0-9.]+$/ { v = $NF; unit = tolower($0) } END { if (v == "") print "-"; else if (unit ~ /\(mb\)/) printf "%.0f\n", v * 1048576; else printf "%.0f\n", v }' "$work/counters.csv"
}
"${client[@]}" idle "${connect[@]}" 1 < /dev/null >/dev/null
rss_before=$(rss_kb); heap_before=$(heap_bytes)
mkfifo "$work/hold"
"${client[@]}" idle "${connect[@]}" "$terminals" < "$work/hold" > "$work/idle.out" &
holder=$!
pids+=($holder)
exec 3>"$work/hold"
until grep -q "^open $terminals" "$work/idle.out"; do kill -0 "$holder" || { echo "the idle client failed" >&2; exit 1; }; sleep 0.2; done
rss_after=$(rss_kb); heap_after=$(heap_bytes)
echo "memory with $terminals idle web terminals open (teleport process, auth + proxy):"
echo "  RSS:           $((rss_before / 1024)) MiB -> $((rss_after / 1024)) MiB, $(( (rss_after - rss_before) / terminals )) KiB per terminal"
if [ "$heap_before" != "-" ] && [ "$heap_after" != "-" ]; then
  echo "  managed heap:  $((heap_before / 1048576)) MiB -> $((heap_after / 1048576)) MiB, $(( (heap_after - heap_before) / terminals / 1024 )) KiB per terminal"
else
  echo "  managed heap:  - (dotnet-counters not found in ~/.dotnet/tools)"
fi
echo done >&3
exec 3>&-
wait "$holder" || true
