#!/usr/bin/env bash
# New SSH sessions per second through one proxy, and what 1,000 interactive sessions held open cost:
#   1. rate steps (RATES, each for STEP): `tsh bench ssh --rate=R` through the gateway to a Teleport node (bench-node),
#      each session a full connect (new SSH connection to the proxy, certificate, proxy subsystem, end-to-end SSH with
#      the node, exec `true`, exit); the highest rate with < 1 % failures and p99 under 1 s is reported;
#   2. the same steps with one OpenSSH client per session at the same fixed rate (open loop) to an OpenSSH sshd target,
#      through the gateway (`ssh -J proxy`) and through an OpenSSH sshd bastion (`ssh -J bastion`): the ratio anchor;
#   3. CPU seconds per session of the teleport process (auth + proxy), the node and the client at the top tsh rate;
#   4. HOLD (default 1000) interactive sessions held open (`tsh bench ssh --interactive ... 'sleep N'`): RSS of the
#      teleport process (auth + proxy) and of the node before and with all open, per session.
# Settings (environment): RATES (default "25 50 100 200 300 400 500 600"), STEP (default 5s), HOLD (1000), HOLD_RATE
# (25/s: the sessions open at a rate this 2-core box sustains with client, proxy and node on it), BENCH_ARGS (more tsh bench flags, e.g. --concurrency-limit=30), SKIP_OPENSSH=1, SKIP_HOLD=1, NO_BUILD=1,
# BUILD_LOCK=FILE, PERF=FILE.data (the teleport process runs with a perf map and is recorded with `perf record -g`
# during the last rate step; prints its top 40 symbols). Every process is stopped by PID at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
rates=${RATES:-25 50 100 200 300 400 500 600}
step=${STEP:-5s}
hold=${HOLD:-1000}
hold_rate=${HOLD_RATE:-25}
mkdir -p /run/sshd

build_bench cli/tsh/tsh.csproj
tsh_dll=$PWD/cli/tsh/bin/$configuration/net10.0/tsh.dll
tsh() { TSH_HOME="$work/tsh" dotnet "$tsh_dll" "$@"; }

# The proxy holds as many handshakes as the OpenSSH anchors below (MaxStartups 2000): one benchmark client is one
# address, which the default per-address share (32) would throttle as a flood.
perf_map_on
PROXY_YAML=$'  ssh_max_startups: 2000\n  ssh_max_startups_per_address: 2000' start_cluster
perf_map_off
start_bench_node
login=$(bench_login)
add_bench_user "$login"
sign_bench_user
printf 'bench password\n' | tsh login --proxy="127.0.0.1:$web" --user=bench --insecure >/dev/null
until tsh ssh "$login@bench-node" true 2>/dev/null; do kill -0 "$node_pid" || exit 1; sleep 0.2; done

# The anchor: OpenSSH sshd as the target (registered as an agentless node) and as the bastion.
target=$(free_port); bastion=$(free_port)
start_sshd target "$target" no "MaxStartups 2000:30:4000" "MaxSessions 100"
start_sshd bastion "$bastion" yes "MaxStartups 2000:30:4000" "MaxSessions 100"
add_openssh_node "$target"
{
  echo "@cert-authority * $host_ca"
  echo "[127.0.0.1]:$target $(cut -d' ' -f1,2 "$work/target_host.pub")"
  echo "[127.0.0.1]:$bastion $(cut -d' ' -f1,2 "$work/bastion_host.pub")"
} > "$work/known_hosts"
write_ssh_config "KexAlgorithms curve25519-sha256"
until [ -s "$work/target.pid" ] && [ -s "$work/bastion.pid" ]; do sleep 0.05; done
ssh -F "$work/ssh_config" -J "127.0.0.1:$proxy" -p "$target" 127.0.0.1 true
ssh -F "$work/ssh_config" -J "127.0.0.1:$bastion" -p "$target" 127.0.0.1 true

# cpu_seconds PID: user + system CPU seconds the process has used.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# A tsh bench report -> "achieved failed_percent p50 p99 max" (ms).
summarize_tsh() {
  awk '
    /Requests originated:/ { n = $4 } /Requests failed:/ { f = $4 }
    /Sessions started per second:/ { rate = $6 }
    $1 == "50" && $3 == "ms" { p50 = $2 } $1 == "99" && $3 == "ms" { p99 = $2 } $1 == "100" && $3 == "ms" { max = $2 }
    END { printf "%s %.2f %s %s %s\n", rate, (n ? 100 * f / n : 100), p50, p99, max }'
}

# openssh_bench JUMP-PORT RATE SECONDS: one `ssh -J` per session, started open-loop at RATE; prints the same summary.
openssh_bench() {
  python3 - "$1" "$2" "$3" "$work/ssh_config" "$target" <<'PY'
import asyncio, math, sys, time
jump, rate, seconds, config, target = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
count = max(1, int(rate * seconds))
async def one(due, start, out):
    await asyncio.sleep(max(0, start + due - time.monotonic()))
    try:
        p = await asyncio.create_subprocess_exec("ssh", "-F", config, "-J", f"127.0.0.1:{jump}", "-p", target, "127.0.0.1", "true",
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        ok = await p.wait() == 0
    except OSError:
        ok = False
    out.append((time.monotonic() - start - due, ok, time.monotonic()))
async def main():
    out, start = [], time.monotonic()
    await asyncio.gather(*(one(i / rate, start, out) for i in range(count)))
    lat = sorted(l * 1000 for l, _, _ in out)
    def at(p): return lat[max(1, math.ceil(p * len(lat) / 100)) - 1]
    failed = sum(1 for _, ok, _ in out if not ok)
    print(f"{(count - 1) / (seconds - 1 / rate) if count > 1 else 0:.1f} {100 * failed / count:.2f} {at(50):.0f} {at(99):.0f} {at(100):.0f}")
asyncio.run(main())
PY
}

step_seconds=$(python3 -c "import re,sys; s='$step'; print(float(re.sub('s$','',s)))")
passes() { awk -v f="$1" -v p99="$2" 'BEGIN { exit !(f < 1 && p99 < 1000) }'; }

echo "load average before: $(load); $(nproc) cores; step $step per rate"
best_tsh=-; best_gw=-; best_os=-
printf '%-6s %-44s %-44s %-44s\n' rate "tsh bench -> gateway -> node" "ssh -J gateway -> sshd" "ssh -J bastion sshd -> sshd"
printf '%-6s %-44s %-44s %-44s\n' "" "(achieved/s fail% p50 p99 max ms, load)" "" ""
last_rate=${rates##* }
for rate in $rates; do
  perf_pid=""
  if [ -n "${PERF:-}" ] && [ "$rate" = "$last_rate" ]; then
    perf record -e cpu-clock -F 999 -g -p "$cluster_pid" -o "$PERF" > "$work/perf.log" 2>&1 &
    perf_pid=$!
    sleep 0.5
  fi
  cluster_cpu=$(cpu_seconds "$cluster_pid"); node_cpu=$(cpu_seconds "$node_pid")
  start=$(now_ns)
  report=$( (time -p tsh bench ssh --rate="$rate" --duration="$step" ${BENCH_ARGS:-} "$login@bench-node" true) 2>"$work/time.txt")
  end=$(now_ns)
  if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
  tsh_cpu=$(awk '/^user|^sys/ { s += $2 } END { print s }' "$work/time.txt")
  t=$(summarize_tsh <<< "$report")
  cpu="cpu s/session: teleport $(awk -v a="$cluster_cpu" -v b="$(cpu_seconds "$cluster_pid")" -v n="$(awk '/originated/ { print $4 }' <<< "$report")" 'BEGIN { printf "%.4f", (b - a) / n }')"
  cpu="$cpu node $(awk -v a="$node_cpu" -v b="$(cpu_seconds "$node_pid")" -v n="$(awk '/originated/ { print $4 }' <<< "$report")" 'BEGIN { printf "%.4f", (b - a) / n }')"
  cpu="$cpu tsh $(awk -v c="$tsh_cpu" -v n="$(awk '/originated/ { print $4 }' <<< "$report")" 'BEGIN { printf "%.4f", c / n }')"
  t_load=$(load)
  g=-; o=-
  if [ "${SKIP_OPENSSH:-0}" != 1 ]; then
    g=$(openssh_bench "$proxy" "$rate" "$step_seconds")
    o=$(openssh_bench "$bastion" "$rate" "$step_seconds")
  fi
  printf '%-6s %-44s %-44s %-44s\n' "$rate" "$t ($t_load)" "$g" "$o"
  echo "       $cpu; wall $(((end - start) / 1000000)) ms"
  # The run's own account of how late starts ran and why sessions failed.
  sed -n -e '/Sessions started per second/p' -e '/Run took/p' -e '/^Failures/,/^Histogram/p' <<< "$report" | grep -v -e '^Histogram' -e '^ *$' | sed 's/^/       /'
  read -r _ tf tp99 _ _ <<< "$t"; if passes "$tf" "$tp99"; then best_tsh=$rate; fi
  if [ "$g" != - ]; then read -r _ gf gp99 _ _ <<< "$g"; if passes "$gf" "$gp99"; then best_gw=$rate; fi; fi
  if [ "$o" != - ]; then read -r _ of op99 _ _ <<< "$o"; if passes "$of" "$op99"; then best_os=$rate; fi; fi
done
if [ -n "${PERF:-}" ]; then
  echo "perf: CPU profile of the teleport process (auth + proxy) during the $last_rate/s step -> $PERF"
  perf_top "$PERF"
fi
echo "highest rate with < 1% failures and p99 < 1 s: tsh bench $best_tsh/s; ssh -J gateway $best_gw/s; ssh -J OpenSSH bastion $best_os/s; ratio gateway/OpenSSH $(ratio "$best_gw" "$best_os")"

if [ "${SKIP_HOLD:-0}" = 1 ]; then exit 0; fi
# Held sessions: each an interactive shell on a terminal running `sleep`, until all HOLD are open.
sleep_for=$((hold / hold_rate + 180))
cluster_rss=$(rss_mib "$cluster_pid"); node_rss=$(rss_mib "$node_pid")
# dotnet itself in the background (not the tsh function), so that $! is the client and killing it hangs the sessions up.
TSH_HOME="$work/tsh" dotnet "$tsh_dll" bench ssh --interactive --rate="$hold_rate" --duration="$((hold / hold_rate))s" "$login@bench-node" "sleep $sleep_for" > "$work/hold.txt" 2>&1 &
hold_pid=$!
pids+=("$hold_pid")
for _ in $(seq 1200); do
  open=$(pgrep -c -x -f "sleep $sleep_for" || true)
  [ "$open" -ge "$hold" ] && break
  kill -0 "$hold_pid" 2>/dev/null || { cat "$work/hold.txt"; exit 1; }
  sleep 0.5
done
sleep 2
cluster_rss_held=$(rss_mib "$cluster_pid"); node_rss_held=$(rss_mib "$node_pid")
echo "$open interactive sessions held open (load $(load)):"
echo "  teleport (auth + proxy) RSS $cluster_rss -> $cluster_rss_held MiB: $(awk -v a="$cluster_rss" -v b="$cluster_rss_held" -v n="$open" 'BEGIN { printf "%.1f", (b - a) * 1024 / n }') KiB per session"
echo "  node RSS $node_rss -> $node_rss_held MiB: $(awk -v a="$node_rss" -v b="$node_rss_held" -v n="$open" 'BEGIN { printf "%.1f", (b - a) * 1024 / n }') KiB per session"
echo "  node threads $(awk '/^Threads/ { print $2 }' "/proc/$node_pid/status"), teleport threads $(awk '/^Threads/ { print $2 }' "/proc/$cluster_pid/status")"
# The held sessions end with the client (their shells are hung up); waited for, so no sleep outlives the run.
kill "$hold_pid" 2>/dev/null || true
wait "$hold_pid" 2>/dev/null || true
for _ in $(seq 120); do [ "$(pgrep -c -x -f "sleep $sleep_for" || true)" = 0 ] && break; sleep 0.5; done
echo "  after the client closed them: $(pgrep -c -x -f "sleep $sleep_for" || true) left; node RSS $(rss_mib "$node_pid") MiB"
