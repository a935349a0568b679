#!/usr/bin/env bash
# The Native AOT node agent (cli/teleport-node) as a node of a real cluster: auth + proxy in one `teleport start`, and
# two teleport-node processes, one joined to the auth service with a token and serving SSH directly, one joined through
# the proxy (no auth_server) and reached through its reverse tunnel. For each: it is listed (heartbeats) and has its
# access policy; OpenSSH's `ssh -J` through the proxy runs a command and an interactive session (a pseudo-terminal) on
# it; the session appears in the audit log (session.start, session.end) and its recording is uploaded and listed. The
# direct node is then restarted on its data dir (saved identity, no new token) and serves again.
# Prints one line per check and exits non-zero on the first that fails. Every process is stopped by PID at the end.
# Settings (environment): NODE_BIN (a published teleport-node; default: publish it to cli/teleport-node/bin/aot, a few
# minutes on 2 cores), NO_BUILD=1, BUILD_LOCK=FILE.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
command -v ssh >/dev/null || { echo "install openssh-client first" >&2; exit 1; }

build_bench
node_bin=${NODE_BIN:-}
if [ -z "$node_bin" ]; then
  node_bin=$PWD/cli/teleport-node/bin/aot/teleport-node
  if [ "${NO_BUILD:-0}" != 1 ] || [ ! -x "$node_bin" ]; then
    "${lock[@]}" dotnet publish cli/teleport-node -c Release -r linux-x64 -nologo -v q -o "${node_bin%/*}" >/dev/null
  fi
fi
"$node_bin" version

# A file with another service is refused with one sentence and exit code 2, before anything starts.
printf 'version: v3\nteleport:\n  data_dir: %s/refused\nauth_service:\n  enabled: true\n' "$work" > "$work/refused.yaml"
out=$("$node_bin" start -c "$work/refused.yaml" 2>&1) && rc=0 || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q '^ERROR: teleport-node runs ssh_service only' <<<"$out" \
  || { echo "an auth_service file gave exit $rc: $out" >&2; exit 1; }
echo "refused: $out"

start_cluster
login=$(id -un)
add_bench_user "$login"
sign_bench_user
echo "@cert-authority * $host_ca" > "$work/known_hosts"
write_ssh_config

# start_aot_node NAME JOIN-LINES: a teleport-node with a fresh node token; returns once listed with its policy.
start_aot_node() {
  local token start pid
  token=aot$(date +%s%N)
  tctl tokens add --type=node --value="$token" >/dev/null
  {
    printf 'version: v3\nteleport:\n  nodename: %s\n  data_dir: %s/%s\n  auth_token: %s\n%s\n' "$1" "$work" "$1" "$token" "$2"
    printf 'auth_service:\n  enabled: false\nproxy_service:\n  enabled: false\n'
    printf 'ssh_service:\n  enabled: true\n  listen_addr: 127.0.0.1:%s\n' "$(free_port)"
  } > "$work/$1.yaml"
  start=$(now_ns)
  # shellcheck disable=SC2086
  "$node_bin" start -c "$work/$1.yaml" ${3:-} > "$work/$1.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_for "$work/$1.log" "announced to the cluster" "$pid"
  echo "  $1: joined and announced in $(( ($(now_ns) - start) / 1000000 )) ms (pid $pid, RSS $(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status") MiB)"
  until tctl nodes ls 2>/dev/null | grep -q "$1"; do sleep 0.1; done
  echo "  $1: listed by tctl nodes ls"
  wait_for "$work/$1.log" "Access policy updated" "$pid"
  echo "  $1: access policy received"
  node_pid=$pid
}

# restart_aot_node NAME: stops the node and starts it again on its data dir (its token is spent): it must come back
# with the identity and access policy it saved.
restart_aot_node() {
  kill "$node_pid"; wait "$node_pid" 2>/dev/null || true
  mv "$work/$1.log" "$work/$1.first.log"
  # shellcheck disable=SC2086
  "$node_bin" start -c "$work/$1.yaml" ${2:-} > "$work/$1.log" 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  wait_for "$work/$1.log" "announced to the cluster" "$node_pid"
  echo "  $1: restarted on its saved identity and announced again"
}

# check_sessions NAME: exec and interactive sessions through the proxy, then their audit events and recording.
check_sessions() {
  local out
  out=$(ssh -F "$work/ssh_config" -J "127.0.0.1:$proxy" "$1" 'echo exec-on-$(hostname)-ok')
  [ "${out%%-on-*}" = exec ] || { echo "exec on $1 answered '$out'" >&2; exit 1; }
  echo "  $1: ssh -J exec ran: $out"
  out=$(printf 'echo interactive-$((6*7))\nexit\n' | ssh -tt -F "$work/ssh_config" -J "127.0.0.1:$proxy" "$1" 2>/dev/null | tr -d '\r')
  grep -q 'interactive-42' <<<"$out" || { echo "interactive session on $1 printed: $out" >&2; exit 1; }
  echo "  $1: ssh -tt interactive session ran"
  for _ in $(seq 300); do
    tctl recordings ls --format=json 2>/dev/null | grep -q "$1" && break
    sleep 0.1
  done
  tctl recordings ls --format=json | grep -q "$1" || { echo "no recording of $1 listed" >&2; tctl recordings ls >&2; exit 1; }
  echo "  $1: recording uploaded and listed"
  for type in session.start session.end; do
    tctl events ls --type="$type" --format=json | grep -q "$1" || { echo "no $type event for $1" >&2; exit 1; }
  done
  echo "  $1: audit has session.start and session.end"
}

echo "teleport-node (Native AOT) as a cluster node:"
start_aot_node aot-direct "  auth_server: 127.0.0.1:$auth"
check_sessions aot-direct
restart_aot_node aot-direct
out=$(ssh -F "$work/ssh_config" -J "127.0.0.1:$proxy" aot-direct 'echo after-restart')
[ "$out" = after-restart ] || { echo "exec after the restart answered '$out'" >&2; exit 1; }
echo "  aot-direct: ssh -J exec ran after the restart"
start_aot_node aot-tunnel "  proxy_server: 127.0.0.1:$web" --insecure
wait_for "$work/aot-tunnel.log" "Reverse tunnel to proxy" "$node_pid"
echo "  aot-tunnel: $(grep -m1 -o 'Reverse tunnel to proxy.*' "$work/aot-tunnel.log")"
check_sessions aot-tunnel
# Anything above Information the nodes logged (a reflection or trimming failure would show here), but the expected
# warnings of a join without ca_pin (the CA trusted on first use) and of --insecure, which the JIT node logs the same.
for name in aot-direct.first aot-direct aot-tunnel; do
  if grep -E '(warn|fail|crit):' "$work/$name.log" | grep -v -e 'No teleport.ca_pin is set' -e 'warn: .*--insecure: joined through'; then echo "$name logged the lines above" >&2; exit 1; fi
done
echo "ok: no warnings or errors in the nodes' logs"
