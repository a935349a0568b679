#!/usr/bin/env bash
# Our SSH server (tests/Benchmarks/SshServerBenchmark) next to OpenSSH's sshd on this machine, through the same
# OpenSSH client, cipher, key exchange (curve25519-sha256) and host key type (ssh-ed25519), both on 127.0.0.1:
#   1. throughput: `head -c SIZE /dev/zero | ssh -c CIPHER ... 'cat > /dev/null'`, median of RUNS, in MiB/s;
#   2. connection setup: median of SETUP_RUNS `ssh -n ... true`, in ms;
#   3. memory per idle connection with IDLE `ssh -N` connections open: our server's RSS growth (after a forced GC)
#      against the summed RSS (and PSS, which splits shared pages) of sshd's per-connection processes.
# Each figure is printed for both servers with the ratio ours/sshd. Every process is stopped by PID at the end.
# Settings (environment): SIZE (bytes, default 536870912), RUNS (3), SETUP_RUNS (20), IDLE (50),
# CIPHERS ("aes256-gcm@openssh.com chacha20-poly1305@openssh.com"), BUILD_LOCK=FILE (build under `flock FILE`),
# PROFILE=FILE.nettrace (afterwards, record a dotnet-trace profile of our server during PROFILE_CIPHER (default
# aes256-gcm@openssh.com) transfers and print
# its top 30; needs `dotnet tool install -g dotnet-trace`. dotnet-trace 10 offers cpu-sampling only with collect-linux,
# so the default PROFILE_KIND is its managed stack sampler, dotnet-sampled-thread-time, which counts waiting threads
# too), PERF=FILE.data (a CPU profile with Linux perf instead: the server then runs with a perf map and without W^X
# double mapping so that JIT frames resolve; prints the top 40 symbols; needs Debian's linux-perf).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
size=${SIZE:-536870912}
runs=${RUNS:-3}
setup_runs=${SETUP_RUNS:-20}
idle=${IDLE:-50}
read -r -a ciphers <<< "${CIPHERS:-aes256-gcm@openssh.com chacha20-poly1305@openssh.com}"

if [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "install openssh-server and openssh-client first" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server openssh-client >/dev/null
fi
mkdir -p /run/sshd

"${lock[@]}" dotnet build tests/Benchmarks/SshServerBenchmark/SshServerBenchmark.csproj -c Release -nologo -v q >/dev/null

ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$work/hostkey"
ssh-keygen -q -t ed25519 -N '' -C bench-client -f "$work/client"
cp "$work/client.pub" "$work/authorized_keys"
dest=$(id -un)@127.0.0.1

# Our server.
perf_env=()
if [ -n "${PERF:-}" ]; then perf_env=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0); fi
env "${perf_env[@]}" dotnet tests/Benchmarks/SshServerBenchmark/bin/Release/net10.0/SshServerBenchmark.dll \
  "$work/hostkey" "$work/client.pub" >"$work/ours.log" 2>&1 &
ours_pid=$!
pids+=("$ours_pid")
for _ in $(seq 200); do grep -q '^port ' "$work/ours.log" 2>/dev/null && break; kill -0 "$ours_pid" || { cat "$work/ours.log"; exit 1; }; sleep 0.05; done
ours_port=$(awk '/^port / { print $2 }' "$work/ours.log")

# OpenSSH's sshd with its own configuration, host key and authorized key.
sshd_port=$(free_port)
cat > "$work/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $sshd_port
HostKey $work/hostkey
AuthorizedKeysFile $work/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 200
PidFile $work/sshd.pid
LogLevel ERROR
EOF
/usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
pids+=("$sshd_pid")

for port in "$ours_port" "$sshd_port"; do echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/hostkey.pub")"; done > "$work/known_hosts"
# The ssh command line shared by every measurement; `ssh_to PORT ARGS...` runs it in the foreground.
ssh_base=(ssh -F none -i "$work/client" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
  -o UserKnownHostsFile="$work/known_hosts" -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=20
  -o KexAlgorithms=curve25519-sha256 -o HostKeyAlgorithms=ssh-ed25519 -o Compression=no)
ssh_to() { "${ssh_base[@]}" -p "$@"; }
for _ in $(seq 100); do ssh_to "$sshd_port" -n "$dest" true 2>/dev/null && break; kill -0 "$sshd_pid" || { cat "$work/sshd.log"; exit 1; }; sleep 0.1; done
ssh_to "$ours_port" -n "$dest" true

transfer_seconds() { # port cipher bytes
  local start
  start=$(now_ns)
  head -c "$3" /dev/zero | ssh_to "$1" -c "$2" "$dest" 'cat > /dev/null'
  awk -v ns="$(( $(now_ns) - start ))" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

echo "SSH server benchmark: ours (SshServerBenchmark, pid $ours_pid) vs sshd ($(ssh -V 2>&1)), 127.0.0.1, $(nproc) cores"
echo
echo "throughput: $((size / 1048576)) MiB client -> server, 'cat > /dev/null', median of $runs (after one 64 MiB warm-up)"
for cipher in "${ciphers[@]}"; do
  declare -A mibs=()
  for server in ours sshd; do
    port=$ours_port
    [ "$server" = sshd ] && port=$sshd_port
    transfer_seconds "$port" "$cipher" $((64 * 1048576)) >/dev/null
    times=()
    for _ in $(seq "$runs"); do times+=("$(transfer_seconds "$port" "$cipher" "$size")"); done
    seconds=$(printf '%s\n' "${times[@]}" | median)
    mibs[$server]=$(awk -v s="$seconds" -v b="$size" 'BEGIN { printf "%.1f", b / 1048576 / s }')
    printf '  %-30s %-5s %8s MiB/s   (%s s; runs: %s)\n' "$cipher" "$server" "${mibs[$server]}" "$seconds" "${times[*]}"
  done
  printf '  %-30s ratio ours/sshd: %s\n' "$cipher" "$(ratio "${mibs[ours]}" "${mibs[sshd]}")"
done

echo
echo "connection setup: 'ssh -n ... true', median of $setup_runs"
declare -A setup=()
for server in ours sshd; do
  port=$ours_port
  [ "$server" = sshd ] && port=$sshd_port
  times=()
  for _ in $(seq "$setup_runs"); do
    start=$(now_ns)
    ssh_to "$port" -n "$dest" true
    times+=($(( ($(now_ns) - start) / 1000000 )))
  done
  setup[$server]=$(printf '%s\n' "${times[@]}" | median)
  printf '  %-5s %5s ms   (min %s, max %s)\n' "$server" "${setup[$server]}" \
    "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)"
done
echo "  ratio ours/sshd: $(ratio "${setup[ours]}" "${setup[sshd]}")"

open_idle() { # port tag: opens $idle `ssh -N` connections and waits until each is authenticated
  local i
  idle_pids=()
  for i in $(seq "$idle"); do
    # Started directly (not through the ssh_to function) so that $! is ssh's own PID.
    "${ssh_base[@]}" -p "$1" -N -o PermitLocalCommand=yes -o LocalCommand='echo ready' "$dest" </dev/null >"$work/idle-$2-$i" 2>&1 &
    idle_pids+=($!)
    pids+=($!)
  done
  for _ in $(seq 600); do
    [ "$(grep -l '^ready' "$work"/idle-"$2"-* 2>/dev/null | wc -l)" -ge "$idle" ] && return 0
    sleep 0.1
  done
  echo "only $(grep -l '^ready' "$work"/idle-"$2"-* | wc -l) of $idle idle connections came up" >&2
  exit 1
}
close_idle() {
  local pid
  for pid in "${idle_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${idle_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
pss_kib() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup"; }
descendants() { local child; for child in $(pgrep -P "$1"); do echo "$child"; descendants "$child"; done; }

echo
echo "memory per idle connection: $idle 'ssh -N' connections"
ssh_to "$ours_port" -n "$dest" gc
before=$(rss_kib "$ours_pid")
open_idle "$ours_port" ours
ssh_to "$ours_port" -n "$dest" gc
after=$(rss_kib "$ours_pid")
close_idle
ours_per=$(( (after - before) / idle ))
printf '  ours  %6s KiB per connection   (RSS %s -> %s KiB after a full GC; whole process / %s: %s KiB)\n' \
  "$ours_per" "$before" "$after" "$idle" "$(( after / idle ))"

open_idle "$sshd_port" sshd
rss=0
pss=0
count=0
for pid in $(descendants "$sshd_pid"); do
  rss=$(( rss + $(rss_kib "$pid") ))
  pss=$(( pss + $(pss_kib "$pid") ))
  count=$((count + 1))
done
close_idle
printf '  sshd  %6s KiB per connection   (RSS summed over %s per-connection processes; PSS: %s KiB per connection)\n' \
  "$(( rss / idle ))" "$count" "$(( pss / idle ))"
echo "  ratio ours/sshd (RSS): $(ratio "$ours_per" "$(( rss / idle ))")   (PSS): $(ratio "$ours_per" "$(( pss / idle ))")"

if [ -n "${PROFILE:-}" ]; then
  echo
  trace=$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")
  profile_cipher=${PROFILE_CIPHER:-aes256-gcm@openssh.com}
  echo "profile: dotnet-trace ${PROFILE_KIND:-dotnet-sampled-thread-time} of our server during $profile_cipher transfers -> $PROFILE"
  "$trace" collect -p "$ours_pid" --profile "${PROFILE_KIND:-dotnet-sampled-thread-time}" --duration 00:00:00:20 -o "$PROFILE" >"$work/trace.log" 2>&1 &
  trace_pid=$!
  pids+=("$trace_pid")
  sleep 2
  while kill -0 "$trace_pid" 2>/dev/null; do transfer_seconds "$ours_port" "$profile_cipher" "$size" >/dev/null; done
  wait "$trace_pid" || { cat "$work/trace.log"; exit 1; }
  "$trace" report "$PROFILE" topN -n 30
fi

if [ -n "${PERF:-}" ]; then
  profile_cipher=${PROFILE_CIPHER:-aes256-gcm@openssh.com}
  echo
  echo "perf: CPU profile of our server during $profile_cipher transfers -> $PERF"
  perf record -e cpu-clock -F 999 -g -p "$ours_pid" -o "$PERF" -- sleep 10 >"$work/perf.log" 2>&1 &
  perf_pid=$!
  pids+=("$perf_pid")
  sleep 0.5
  while kill -0 "$perf_pid" 2>/dev/null; do transfer_seconds "$ours_port" "$profile_cipher" "$size" >/dev/null; done
  wait "$perf_pid" || { cat "$work/perf.log"; exit 1; }
  perf_top "$PERF"
fi
