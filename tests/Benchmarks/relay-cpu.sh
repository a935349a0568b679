#!/usr/bin/env bash
# CPU seconds per GiB relayed: the gateway's SSH proxy against an OpenSSH sshd bastion, in the same run, with the same
# OpenSSH client (`ssh -J`, cipher CIPHER, default aes256-gcm@openssh.com), user certificate and OpenSSH sshd target:
#   head -c SIZE /dev/zero | ssh -J JUMP target 'cat > /dev/null'
# Each side runs RUNS times, alternating, after WARMUP bytes through each (default SIZE/4, 0 for none: the gateway's
# first transfer also pays for compiling the relay path, once per process, which sshd never does). The CPU of a run
# is read from /proc/PID/stat before and after:
#   - gateway: utime + stime of the teleport process that relays: auth and proxy in one process (as gateway-jump.sh
#     runs it), or with SPLIT=1 the proxy process alone, joined to an auth process (the HA deployment's proxy); its
#     idle CPU over the same wall time, measured for IDLE seconds first, is also subtracted ("net");
#   - OpenSSH: utime + stime + cutime + cstime of the bastion's listening sshd once the connection's processes
#     (sshd-session and its privilege-separated child) have exited and been reaped, which adds their times to cutime.
# Prints every run, the medians, CPU seconds per GiB and the ratio gateway/OpenSSH.
# Settings (environment): SIZE (bytes, default 1073741824), RUNS (3), IDLE (5), WARMUP, SPLIT (0), CIPHER, BUILD_LOCK=FILE,
# TRACE=FILE (record the gateway's first run with dotnet-trace's cpu-sampling profile into FILE.nettrace),
# PERF=FILE.data (after the measured runs, one more gateway transfer under `perf record -g`; the teleport process then
# runs with a perf map and without W^X double mapping so that JIT frames resolve; prints the top 40 symbols),
# SYSCALLS=1 (after the measured runs, one more transfer through each jump under `strace -f -c`: the system calls each
# side makes for the same bytes, by count; strace slows both, so their CPU is not counted).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
size=${SIZE:-1073741824}
runs=${RUNS:-3}
warmup=${WARMUP:-$((size / 4))}
split=${SPLIT:-0}
idle=${IDLE:-5}
cipher=${CIPHER:-aes256-gcm@openssh.com}
mkdir -p /run/sshd

build_bench
perf_map_on
if [ "$split" = 1 ]; then start_split; gateway_pid=$proxy_pid; else start_cluster; gateway_pid=$cluster_pid; fi
perf_map_off
login=$(id -un)
tctl users add bench --roles=access --logins="$login" >/dev/null
sign_bench_user

target=$(free_port); bastion=$(free_port)
start_sshd target "$target" no
start_sshd bastion "$bastion" yes
bastion_pid=${pids[-1]}
add_openssh_node "$target"
{
  echo "@cert-authority * $host_ca"
  echo "[127.0.0.1]:$target $(cut -d' ' -f1,2 "$work/target_host.pub")"
  echo "[127.0.0.1]:$bastion $(cut -d' ' -f1,2 "$work/bastion_host.pub")"
} > "$work/known_hosts"
write_ssh_config "Ciphers $cipher" "KexAlgorithms curve25519-sha256"
jump() { ssh -F "$work/ssh_config" -J "127.0.0.1:$1" -p "$target" 127.0.0.1 "${@:2}"; }
until [ -s "$work/target.pid" ] && [ -s "$work/bastion.pid" ]; do sleep 0.05; done
jump "$proxy" true
jump "$bastion" true

hz=$(getconf CLK_TCK)
# Clock ticks of a process: utime + stime, plus cutime + cstime (its reaped children) with a third argument.
ticks() { awk -v children="${2:-}" '{ sub(/^.*\) /, ""); t = $12 + $13; if (children != "") t += $14 + $15; print t }' "/proc/$1/stat"; }
seconds() { awk -v t="$1" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'; }
bastion_quiet() { # until the bastion's per-connection processes are gone (reaped)
  for _ in $(seq 200); do pgrep -P "$bastion_pid" >/dev/null || return 0; sleep 0.05; done
  echo "the bastion's connection processes did not exit" >&2; exit 1
}
transfer() { head -c "${2:-$size}" /dev/zero | jump "$1" 'cat > /dev/null'; }
if [ "$warmup" -gt 0 ]; then
  transfer "$proxy" "$warmup"
  transfer "$bastion" "$warmup"
  bastion_quiet
fi

# The gateway process's own idle CPU (heartbeats, the silo), to tell it from the relay's.
before=$(ticks "$gateway_pid"); sleep "$idle"; idle_ticks=$(( $(ticks "$gateway_pid") - before ))
idle_rate=$(awk -v t="$idle_ticks" -v hz="$hz" -v s="$idle" 'BEGIN { printf "%.4f", t / hz / s }')

gw_runs=(); gw_net=(); os_runs=(); gw_walls=(); os_walls=()
for run in $(seq "$runs"); do
  trace=()
  if [ "$run" = 1 ] && [ -n "${TRACE:-}" ]; then
    dotnet-trace collect -p "$gateway_pid" --profile dotnet-sampled-thread-time -o "$TRACE.nettrace" > "$work/trace.log" 2>&1 &
    trace=($!); sleep 3
  fi
  before=$(ticks "$gateway_pid"); start=$(now_ns)
  transfer "$proxy"
  wall=$(( $(now_ns) - start )); used=$(( $(ticks "$gateway_pid") - before ))
  if [ "${#trace[@]}" -gt 0 ]; then kill -INT "${trace[0]}"; wait "${trace[0]}" || true; fi
  gw_runs+=("$(seconds "$used")"); gw_walls+=("$(awk -v ns="$wall" 'BEGIN { printf "%.2f", ns / 1e9 }')")
  gw_net+=("$(awk -v t="$used" -v hz="$hz" -v r="$idle_rate" -v ns="$wall" 'BEGIN { printf "%.2f", t / hz - r * ns / 1e9 }')")

  bastion_quiet
  before=$(ticks "$bastion_pid" children); start=$(now_ns)
  transfer "$bastion"
  wall=$(( $(now_ns) - start )); bastion_quiet
  os_runs+=("$(seconds $(( $(ticks "$bastion_pid" children) - before )))")
  os_walls+=("$(awk -v ns="$wall" 'BEGIN { printf "%.2f", ns / 1e9 }')")
done

gib=$(awk -v b="$size" 'BEGIN { printf "%.3f", b / 1073741824 }')
per_gib() { awk -v s="$1" -v g="$gib" 'BEGIN { printf "%.2f", s / g }'; }
gw=$(printf '%s\n' "${gw_runs[@]}" | median); gwn=$(printf '%s\n' "${gw_net[@]}" | median)
os=$(printf '%s\n' "${os_runs[@]}" | median)
echo "relay CPU: $gib GiB per run through ssh -J, cipher $cipher, $runs runs each after $warmup bytes of warm-up, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  gateway ($([ "$split" = 1 ] && echo "proxy process, auth apart" || echo "auth+proxy process")) CPU s: ${gw_runs[*]}   net of idle ($idle_rate s/s): ${gw_net[*]}   wall s: ${gw_walls[*]}"
echo "  OpenSSH bastion (sshd processes) CPU s: ${os_runs[*]}   wall s: ${os_walls[*]}"
echo "  CPU s per GiB (median): gateway $(per_gib "$gw") (net $(per_gib "$gwn"))   OpenSSH $(per_gib "$os")"
echo "  ratio gateway/OpenSSH: $(ratio "$gw" "$os") (net $(ratio "$gwn" "$os"))"

if [ -n "${PERF:-}" ]; then
  echo "perf: CPU profile of the gateway during one more transfer -> $PERF"
  perf record -e cpu-clock -F 999 -g -p "$gateway_pid" -o "$PERF" >"$work/perf.log" 2>&1 &
  perf_pid=$!
  sleep 0.5
  transfer "$proxy"
  kill -INT "$perf_pid"; wait "$perf_pid" || true # perf record exits non-zero when interrupted
  [ -s "$PERF" ] || { cat "$work/perf.log"; exit 1; }
  perf_top "$PERF"
fi

if [ "${SYSCALLS:-0}" = 1 ]; then
  # The system calls behind the CPU: what each side asks of the kernel for the same transfer.
  syscalls() { # PID LABEL JUMP
    strace -f -c -o "$work/strace.$2" -p "$1" >/dev/null 2>&1 &
    local tracer=$!
    sleep 1
    transfer "$3"
    [ "$2" = openssh ] && bastion_quiet
    kill -INT "$tracer"; wait "$tracer" || true
    echo "  $2: system calls during one transfer (strace -f -c), most frequent first"
    awk '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { name = $NF; calls = $4; if (NF == 6) errors = $5; else errors = 0; printf "    %-16s %9d calls %8d errors\n", name, calls, errors }' "$work/strace.$2" \
      | sort -k2,2nr | head -12
    awk '$NF == "total" { printf "    total            %9d calls\n", $4 }' "$work/strace.$2"
  }
  echo "system calls per transfer of $gib GiB:"
  syscalls "$gateway_pid" gateway "$proxy"
  syscalls "$bastion_pid" openssh "$bastion"
fi
