#!/usr/bin/env bash
# The node agent's idle footprint: a node-only `teleport start` (ssh_service, joined to an auth service with a token)
# WAIT seconds after it starts, against OpenSSH's listening sshd, on 127.0.0.1:
#   RSS (anonymous, file-backed, and shared memory: the runtime's double-mapped JIT code), threads, and the .NET assemblies the process has mapped, from /proc;
#   with COUNTERS=1, also the runtime's own view (GC heap, committed, working set) from dotnet-counters, read after RSS.
# Each VARIANT (a |-separated list of space-separated VAR=value environment settings; "default" for none) starts
# RUNS fresh nodes, one at a time; the medians are printed.
# Settings (environment): WAIT (20), RUNS (3), SMAPS (1: print the largest mappings), ASSEMBLIES (1: print the .dll
# files mapped), VARIANTS ("default"), COUNTERS (0), BUILD_LOCK=FILE, NO_BUILD=1 (skip the build), NODE_DLL (the
# teleport.dll the nodes run, e.g. a ReadyToRun publish's; the auth service runs the build's), AOT_NODE (a published
# Native AOT teleport-node, cli/teleport-node: measured as one more row, "aot", after the variants; its settings are
# AOT_VARIANTS, default "default"). Each row also gives the start time: from launch until the first heartbeat is accepted.
# Example: VARIANTS='default|DOTNET_GCgen0size=0x200000' tests/Benchmarks/node-footprint.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
wait_s=${WAIT:-20}
runs=${RUNS:-3}
variants=${VARIANTS:-default}
mkdir -p /run/sshd

build_bench
jit_node=(dotnet "${NODE_DLL:-$teleport_dll}")

start_auth "$teleport_dll"
tctl auth export --type=user | awk '{ print $2, $3 }' > "$work/user_ca.pub"

status_kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# One node, WAIT s after its start: "rss anon file threads assemblies shmem start-ms".
measure_node() { # variant-settings run command...
  local dir="$work/node-$2" pid token started announced
  mkdir -p "$dir"
  # A join token works once: one per node.
  token=footprint$2x$(date +%s%N)
  tctl tokens add --type=node --value="$token" --ttl=1h >/dev/null
  cat > "$dir/node.yaml" <<EOF
version: v3
teleport:
  nodename: footprint-$2
  data_dir: $dir/data
  auth_token: $token
  auth_server: 127.0.0.1:$auth
auth_service:
  enabled: false
proxy_service:
  enabled: false
ssh_service:
  enabled: true
  listen_addr: 127.0.0.1:$(free_port)
EOF
  started=$(now_ns)
  # shellcheck disable=SC2086
  env $1 "${@:3}" start -c "$dir/node.yaml" > "$dir/node.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 3000); do grep -q 'announced to the cluster' "$dir/node.log" && break; kill -0 "$pid" || { cat "$dir/node.log" >&2; exit 1; }; sleep 0.01; done
  announced=$(( ($(now_ns) - started) / 1000000 ))
  sleep "$wait_s"
  kill -0 "$pid" || { cat "$dir/node.log" >&2; exit 1; }
  echo "$(status_kib "$pid" VmRSS) $(status_kib "$pid" RssAnon) $(status_kib "$pid" RssFile) $(status_kib "$pid" Threads)" \
    "$(grep -o '[^/]*\.dll$' "/proc/$pid/maps" | sort -u | wc -l) $(status_kib "$pid" RssShmem) $announced"
  if [ "${SMAPS:-0}" = 1 ]; then # the largest mappings by RSS (KiB)
    awk '/^[0-9a-f]+-[0-9a-f]+ / { name = $6 } /^Rss:/ { rss[name] += $2 } END { for (n in rss) print "    " rss[n], (n == "" ? "[anon]" : n) }' \
      "/proc/$pid/smaps" | sort -rn | head -12 >&2
  fi
  if [ "${ASSEMBLIES:-0}" = 1 ]; then
    grep -o '[^/]*\.dll$' "/proc/$pid/maps" | sort -u | tr '\n' ' ' >&2; echo >&2
  fi
  if [ "${COUNTERS:-0}" = 1 ] && command -v dotnet-counters >/dev/null; then
    timeout 20 dotnet-counters collect -p "$pid" --counters System.Runtime --duration 00:00:04 --format csv -o "$dir/counters.csv" >/dev/null 2>&1 || true
    # The last value of each counter (the CSV's columns: time, provider, counter, type, value).
    awk -F, 'NR > 1 { v[$3] = $NF } END { for (k in v) printf "    %s = %s\n", k, v[k] }' "$dir/counters.csv" 2>/dev/null | sort >&2 || true
    grep -o '[^/]*\.dll$' "/proc/$pid/maps" | sort -u | tr '\n' ' ' >&2; echo >&2
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

ssh-keygen -q -t ed25519 -N '' -f "$work/sshd_host"
sshd_port=$(free_port)
printf 'ListenAddress 127.0.0.1\nPort %s\nHostKey %s\nPidFile %s\nTrustedUserCAKeys %s\nAuthorizedKeysFile none\nUsePAM no\n' \
  "$sshd_port" "$work/sshd_host" "$work/sshd.pid" "$work/user_ca.pub" > "$work/sshd_config"
/usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
pids+=("$sshd_pid")
until [ -s "$work/sshd.pid" ]; do kill -0 "$sshd_pid" || { cat "$work/sshd.log"; exit 1; }; sleep 0.05; done

echo "node footprint: node-only teleport start, $wait_s s after its first heartbeat was accepted, median of $runs; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  sshd (listening, idle): RSS $(mib "$(status_kib "$sshd_pid" VmRSS)") MiB, anon $(mib "$(status_kib "$sshd_pid" RssAnon)") MiB, threads $(status_kib "$sshd_pid" Threads)"
n=0
measure_rows() { # label variants command...
  local variant settings list
  IFS='|' read -ra list <<<"$2"
  for variant in "${list[@]}"; do
    settings=$variant
    [ "$variant" = default ] && settings=
    rows=()
    for _ in $(seq "$runs"); do n=$((n + 1)); rows+=("$(measure_node "$settings" "$n" "${@:3}")"); done
    col() { printf '%s\n' "${rows[@]}" | cut -d' ' -f"$1" | median; }
    printf '  %s node [%s]: RSS %s MiB (runs: %s), anon %s MiB, file %s MiB, shmem (JIT code, double-mapped) %s MiB, threads %s, assemblies mapped %s, start %s ms\n' \
      "$1" "$variant" "$(mib "$(col 1)")" "$(printf '%s\n' "${rows[@]}" | cut -d' ' -f1 | while read -r k; do mib "$k"; printf ' '; done)" \
      "$(mib "$(col 2)")" "$(mib "$(col 3)")" "$(mib "$(col 6)")" "$(col 4)" "$(col 5)" "$(col 7)"
  done
}
measure_rows jit "$variants" "${jit_node[@]}"
if [ -n "${AOT_NODE:-}" ]; then measure_rows aot "${AOT_VARIANTS:-default}" "$AOT_NODE"; fi
