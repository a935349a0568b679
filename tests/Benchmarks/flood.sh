#!/usr/bin/env bash
# Logging in through a flooded SSH port: the gateway's SSH proxy next to an OpenSSH sshd bastion with MaxStartups at
# its default (10:30:100), both jumping (`ssh -J`) to the same OpenSSH sshd target with the same client and user
# certificate. For each bastion, in the same run:
#   1. RUNS logins `ssh -J BASTION target true` on a quiet port: success rate and median time;
#   2. the flood: SILENT connections that never send a byte, spread over SOURCES loopback addresses and re-opened
#      whenever the server closes them (a persistent attacker), plus 1 MiB of random bytes over four connections
#      (Flood/flood.py); after SETTLE seconds, RUNS logins again, from 127.0.0.1, while the flood goes on;
#   3. memory per idle connection: the server's proportional set size (PSS, summed over sshd's per-connection
#      processes) with the flood held, minus before it, divided by the connections the server has accepted and holds
#      (sshd leaves those beyond MaxStartups in the kernel's backlog, where they cost it nothing).
# Prints a table with the ratio gateway/OpenSSH. Every process is stopped by PID at the end.
# Settings (environment): RUNS (10), SILENT (300), SOURCES (30), SETTLE (3), BUILD_LOCK=FILE (build under `flock FILE`).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
runs=${RUNS:-10}
silent=${SILENT:-300}
sources=${SOURCES:-30}
settle=${SETTLE:-3}
mkdir -p /run/sshd

build_bench
descendants() { local child; echo "$1"; for child in $(pgrep -P "$1"); do descendants "$child"; done; }
# PSS in KiB of a process and all its descendants (sshd forks one process per connection).
pss() {
  local total=0 pid
  for pid in $(descendants "$1"); do
    total=$((total + $(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# Connections on a port the server has accepted (a process holds them; the rest wait in the kernel's backlog).
accepted() { ss -Htnp state established "( sport = :$1 )" | grep -c 'users:' || true; }

# The cluster: auth + proxy in one process.
start_cluster
teleport_pid=$cluster_pid
login=$(id -un)
tctl users add bench --roles=access --logins="$login" >/dev/null
sign_bench_user

# Target and bastion: OpenSSH sshd trusting the cluster's user CA; the bastion keeps sshd's default MaxStartups.
target=$(free_port); bastion=$(free_port)
start_sshd target "$target" no
sshd_pid=
start_sshd bastion "$bastion" yes
sshd_pid=${pids[-1]}
add_openssh_node "$target"
{
  echo "@cert-authority * $host_ca"
  echo "[127.0.0.1]:$target $(cut -d' ' -f1,2 "$work/target_host.pub")"
  echo "[127.0.0.1]:$bastion $(cut -d' ' -f1,2 "$work/bastion_host.pub")"
} > "$work/known_hosts"
write_ssh_config "ConnectTimeout 10"
until [ -s "$work/target.pid" ] && [ -s "$work/bastion.pid" ]; do sleep 0.05; done
ssh -F "$work/ssh_config" -J "127.0.0.1:$proxy" -p "$target" 127.0.0.1 true
ssh -F "$work/ssh_config" -J "127.0.0.1:$bastion" -p "$target" 127.0.0.1 true

logins() { # jump-port -> "successes median-ms" over $runs tries
  local ok=0 times=() start end
  for _ in $(seq "$runs"); do
    start=$(now_ns)
    if timeout 30 ssh -F "$work/ssh_config" -J "127.0.0.1:$1" -p "$target" 127.0.0.1 true 2>>"$work/ssh_errors"; then
      end=$(now_ns); ok=$((ok + 1)); times+=($(((end - start) / 1000000)))
    fi
  done
  echo "$ok $(printf '%s\n' "${times[@]}" | grep . | median)"
}

flood() { # jump-port server-pid name -> "quiet-ok quiet-ms flood-ok flood-ms held kib-per-connection"
  local quiet before after held status
  quiet=$(logins "$1")
  sleep 1
  before=$(pss "$2")
  rm -f "$work/stop" "$work/status"
  python3 tests/Benchmarks/Flood/flood.py "$1" "$silent" "$sources" 1048576 "$work/status" "$work/stop" &
  local flooder=$!
  pids+=("$flooder")
  sleep "$settle"
  after=$(pss "$2")
  status=$(cat "$work/status")
  held=$(accepted "$1")
  echo "$3 under flood: ${status% *} flood connections open (${status#* } closed by the server so far), $held accepted by the server" >&2
  local flooded
  flooded=$(logins "$1")
  touch "$work/stop"; wait "$flooder" || true
  echo "$quiet $flooded $held $(awk -v a="$after" -v b="$before" -v n="$held" 'BEGIN { if (n > 0) printf "%.1f", (a - b) / n; else print "-" }')"
}

read -r gq_ok gq_ms gf_ok gf_ms g_held g_kib <<<"$(flood "$proxy" "$teleport_pid" gateway)"
read -r oq_ok oq_ms of_ok of_ms o_held o_kib <<<"$(flood "$bastion" "$sshd_pid" OpenSSH)"

echo "flood: $silent silent connections from $sources addresses, re-opened when closed, + 1 MiB of random bytes; $runs logins each (ssh -J to an OpenSSH target)"
printf '%-34s %16s %16s %10s\n' "" "gateway proxy" "OpenSSH sshd" "ratio"
printf '%-34s %16s %16s %10s\n' "logins ok, quiet port" "$gq_ok/$runs" "$oq_ok/$runs" "-"
printf '%-34s %16s %16s %10s\n' "median login ms, quiet port" "$gq_ms" "$oq_ms" "$(ratio "$gq_ms" "$oq_ms")"
printf '%-34s %16s %16s %10s\n' "logins ok, under flood" "$gf_ok/$runs" "$of_ok/$runs" "-"
printf '%-34s %16s %16s %10s\n' "median login ms, under flood" "$gf_ms" "$of_ms" "$(ratio "$gf_ms" "$of_ms")"
printf '%-34s %16s %16s %10s\n' "connections accepted and held" "$g_held" "$o_held" "-"
printf '%-34s %16s %16s %10s\n' "KiB PSS per held connection" "$g_kib" "$o_kib" "$(ratio "$g_kib" "$o_kib")"
if [ -s "$work/ssh_errors" ]; then
  echo "ssh errors seen (count, message):"
  sort "$work/ssh_errors" | uniq -c | sort -rn | head -5
fi
