#!/usr/bin/env bash
# NODES (default 10000) tunnelled node agents on one proxy, simulated by tests/Benchmarks/AgentLoad (each its own host
# certificate, its own reverse tunnel with the real agent's classes, heartbeats, exec answered with status 0), then:
#   1. RSS and CPU% of the proxy (and auth) process at steady state over STEADY seconds (30), and per tunnel;
#   2. `tctl nodes ls` and `tsh ls` p50/p99 as whole commands, and the listing tsh makes (all pages of the web API's
#      resources call) timed alone; the web UI's first resources page p50/p99;
#   3. connect-and-exec p50/p99: OpenSSH `ssh -J proxy load-NNNNN true` to random tunnelled nodes (EXEC_RUNS, 50);
#   4. restarts the proxy (without SPLIT, the one auth+proxy process; SPLIT=1, the proxy process alone) and reports
#      the seconds until the proxy holds all NODES tunnels again (its /metrics gauge), with the curve every 5 s.
# Settings (environment): NODES (10000), RATE (agents started per second, 250), SPLIT (0), STEADY (30), RUNS (tsh/tctl
# runs, 20), WEB_RUNS (200), EXEC_RUNS (50), HEARTBEAT (admin|node, see AgentLoad), CONFIGURATION, BUILD_LOCK, NO_BUILD,
# PERF=FILE.data (the restarted proxy runs with a perf map and is recorded with `perf record -g` for its first
# PERF_SECONDS, 30, after it listens again; prints its top 40 symbols); LOAD_PERF=FILE.data records the load tool (the
# simulated agents) over the same seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
nodes=${NODES:-10000}
rate=${RATE:-250}
split=${SPLIT:-0}
steady=${STEADY:-30}
runs=${RUNS:-20}
web_runs=${WEB_RUNS:-200}
exec_runs=${EXEC_RUNS:-50}
# Every tunnel is a descriptor in the proxy and one in the load tool: raise the soft limit as far as the hard one allows.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((nodes + 2000)) ]; then
  echo "the open file limit ($(ulimit -n)) is too low for $nodes tunnels; raise the hard limit (ulimit -Hn) or lower NODES" >&2
  exit 1
fi

build_bench cli/tsh/tsh.csproj tests/Benchmarks/AgentLoad/AgentLoad.csproj
tsh() { TSH_HOME="$work/tsh" dotnet "$PWD/cli/tsh/bin/$configuration/net10.0/tsh.dll" "$@"; }
cluster=bench.example.com

# restart_combined: the auth+proxy process again, same config and ports.
restart_combined() {
  launch_teleport "SSH proxy listening"
  proxy_pid=$cluster_pid
}

if [ "$split" = 1 ]; then
  CLUSTER_NAME=$cluster start_split
  auth_pid=$cluster_pid
else
  CLUSTER_NAME=$cluster start_cluster
  proxy_pid=$cluster_pid
  auth_pid=""
fi

login=$(id -un)
add_bench_user "$login"
sign_bench_user
echo "bench password" | tsh login --proxy="127.0.0.1:$web" --user=bench --insecure >/dev/null

# rss_kib PID, cpu_ticks PID: from /proc.
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
base_proxy=$(rss_kib "$proxy_pid")
base_auth=$([ -n "$auth_pid" ] && rss_kib "$auth_pid" || echo 0)

[ -n "${LOAD_PERF:-}" ] && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
dotnet "tests/Benchmarks/AgentLoad/bin/$configuration/net10.0/AgentLoad.dll" --auth "127.0.0.1:$auth" \
  --identity "$work/data/admin.identity" --proxy "127.0.0.1:$web" --tunnel "127.0.0.1:$tunnel" \
  --nodes "$nodes" --rate "$rate" --heartbeat "${HEARTBEAT:-admin}" > "$work/agents.log" 2>&1 &
agents_pid=$!
pids+=("$agents_pid")
perf_map_off
# up_now: tunnels up in the load tool's last report.
up_now() { tail -n 1 "$work/agents.log" | sed -n 's/.* up=\([0-9]*\) .*/\1/p'; }
start=$(now_ns)
last=""
until [ "$(up_now)" = "$nodes" ]; do
  kill -0 "$agents_pid" || { cat "$work/agents.log"; exit 1; }
  sleep 1
  line=$(tail -n 1 "$work/agents.log")
  if [ "$line" != "$last" ] && [ $(( ($(now_ns) - start) / 1000000000 % 10 )) = 0 ]; then echo "  ramp: $line"; fi
  last=$line
done
echo "ramp: $nodes tunnels up in $(( ($(now_ns) - start) / 1000000 )) ms at $rate agents/s"
grep -m1 '^first failure' "$work/agents.log" || true

# The proxy lists every node once their heartbeats reached its cache.
resources_as_tsh
until [ "$(resources 'limit=1' | jq .totalCount)" -ge "$nodes" ]; do sleep 1; done

echo "steady state: ${steady} s with $nodes tunnels (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
sleep 10
p0=$(cpu_ticks "$proxy_pid"); a0=$([ -n "$auth_pid" ] && cpu_ticks "$auth_pid" || echo 0); t0=$(now_ns)
sleep "$steady"
p1=$(cpu_ticks "$proxy_pid"); a1=$([ -n "$auth_pid" ] && cpu_ticks "$auth_pid" || echo 0); t1=$(now_ns)
hz=$(getconf CLK_TCK)
report_process() { # name rss_base rss_now ticks
  awk -v n="$1" -v b="$2" -v r="$3" -v t="$4" -v s="$(( (t1 - t0) / 1000000 ))" -v hz="$hz" -v nodes="$nodes" 'BEGIN {
    cpu = t / hz / (s / 1000) * 100
    printf "  %-14s RSS %d MiB (%d MiB before the agents), %.1f KiB per tunnel; CPU %.1f%% of one core, %.2f ms/s per 1000 tunnels\n",
      n, r / 1024, b / 1024, (r - b) / nodes, cpu, cpu * 10 / (nodes / 1000) }'
}
if [ "$split" = 1 ]; then
  report_process "proxy" "$base_proxy" "$(rss_kib "$proxy_pid")" $((p1 - p0))
  report_process "auth" "$base_auth" "$(rss_kib "$auth_pid")" $((a1 - a0))
else
  report_process "auth+proxy" "$base_proxy" "$(rss_kib "$proxy_pid")" $((p1 - p0))
fi
echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "listing $nodes nodes:"
rows=$(tsh ls | wc -l)
[ "$rows" -ge "$nodes" ] || { echo "tsh ls listed $rows rows, expected $nodes" >&2; exit 1; }
for _ in $(seq "$runs"); do timed tsh ls; done | percentiles "tsh ls (whole command)"
for _ in $(seq "$runs"); do timed tctl nodes ls; done | percentiles "tctl nodes ls (whole command)"
for _ in $(seq "$runs"); do list_all_pages "$nodes" 10000; done | percentiles "tsh ls API calls (all pages of 10000, as tsh asks)"
first_page_ms "$web_runs" | percentiles "web resources first page (100)"

# Connect and exec through the proxy to random tunnelled nodes, host certificates checked against the host CA.
echo "@cert-authority * $host_ca" > "$work/known_hosts"
write_ssh_config "KexAlgorithms curve25519-sha256"
cat > "$work/jump_config" <<CONF
Host *
  User $login
  IdentityFile $work/user
  CertificateFile $work/user-cert.pub
  IdentitiesOnly yes
  UserKnownHostsFile $work/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking no
  BatchMode yes
CONF
exec_once() { ssh -F "$work/ssh_config" -o ProxyCommand="ssh -F $work/jump_config -p $proxy -W %h:%p 127.0.0.1" "$1" true; }
exec_once load-00000
for _ in $(seq "$exec_runs"); do timed exec_once "$(printf 'load-%05d' $(( (RANDOM * 32768 + RANDOM) % nodes )))"; done |
  percentiles "ssh -J to a random node, exec true"

# Restart the proxy and time until every tunnel is back, as the proxy counts them (its reverse-tunnel gauge on
# /metrics: a tunnel counts once its SSH handshake is done and the agent is registered).
proxy_config=$([ "$split" = 1 ] && echo "$work/proxy.yaml" || echo "$work/teleport.yaml")
diag=$(sed -n 's/^ *diag_addr: *//p' "$proxy_config")
tunnels_held() { curl -sf "http://$diag/metrics" | sed -n 's/^teleport_reverse_tunnels_connected{[^}]*} \([0-9]*\).*/\1/p' | head -n 1; }
echo "restart: $([ "$split" = 1 ] && echo "proxy process" || echo "auth+proxy process") (SIGTERM, start again); tunnels held before: $(tunnels_held)"
busy_before=$(tail -n 1 "$work/agents.log" | sed -n 's/.* busy=\([0-9]*\) .*/\1/p')
killed=$(now_ns)
kill "$proxy_pid"
wait "$proxy_pid" 2>/dev/null || true
stopped=$(now_ns)
perf_map_on
if [ "$split" = 1 ]; then start_split_proxy; else restart_combined; fi
ready=$(now_ns)
perf_map_off
if [ -n "${PERF:-}" ]; then
  perf record -e cpu-clock -F 499 -g -p "$proxy_pid" -o "$PERF" -- sleep "${PERF_SECONDS:-30}" > "$work/perf.log" 2>&1 &
  perf_pid=$!
fi
if [ -n "${LOAD_PERF:-}" ]; then
  perf record -e cpu-clock -F 499 -g -p "$agents_pid" -o "$LOAD_PERF" -- sleep "${PERF_SECONDS:-30}" > "$work/load-perf.log" 2>&1 &
  load_perf_pid=$!
fi
echo "  stopped in $(( (stopped - killed) / 1000000 )) ms; listening again $(( (ready - killed) / 1000000 )) ms after the kill"
echo "  curve (seconds after the kill: tunnels the proxy holds, the agents' busy refusals since the kill):"
held=0; last_shown=-5
while :; do
  held=$(tunnels_held || true); held=${held:-0}
  elapsed=$(( ($(now_ns) - killed) / 1000000000 ))
  if [ "$held" -ge "$nodes" ] || [ $((elapsed - last_shown)) -ge 5 ]; then
    busy=$(tail -n 1 "$work/agents.log" | sed -n 's/.* busy=\([0-9]*\) .*/\1/p')
    printf '    %3d s: %6d  busy %d\n' "$elapsed" "$held" "$((busy - busy_before))"
    last_shown=$elapsed
  fi
  [ "$held" -ge "$nodes" ] && break
  kill -0 "$agents_pid" || { cat "$work/agents.log"; exit 1; }
  if [ "$elapsed" -gt 600 ]; then echo "  not all back within 600 s" >&2; break; fi
  sleep 1
done
back=$(now_ns)
echo "  $held of $nodes tunnels back $(( (back - killed) / 1000000 )) ms after the kill ($(( (back - ready) / 1000000 )) ms after the proxy listened again)"
if [ -n "${PERF:-}" ]; then
  wait "$perf_pid" || true
  echo "perf: CPU profile of the restarted proxy's first ${PERF_SECONDS:-30} s -> $PERF"
  perf_top "$PERF" dso 8
  perf_top "$PERF" sym
fi
if [ -n "${LOAD_PERF:-}" ]; then
  wait "$load_perf_pid" || true
  echo "perf: CPU profile of the load tool's first ${PERF_SECONDS:-30} s after the proxy listened again -> $LOAD_PERF"
  perf_top "$LOAD_PERF" dso 8
  perf_top "$LOAD_PERF" sym
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
