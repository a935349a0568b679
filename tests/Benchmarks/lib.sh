# shellcheck shell=bash
# The set-up every benchmark script shares. Source it from the repository root after `set -euo pipefail`:
#   cd "$(dirname "$0")/../.." && . tests/Benchmarks/lib.sh
# It provides: $work, a temp dir removed at exit; pids, processes stopped by PID at exit (add with pids+=($!));
# lock, a `flock FILE` prefix for builds when BUILD_LOCK=FILE; free_port, median, now_ns, ratio; and
# start_auth DLL, an auth-only teleport process on free loopback ports with its data in $work/data.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

lock=()
if [ -n "${BUILD_LOCK:-}" ]; then lock=(flock "$BUILD_LOCK"); fi

work=$(mktemp -d)
pids=()
cleanup() {
  # Background loops of a script (flood.sh's) end when this file appears.
  touch "$work/stop"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# The middle value of the numbers on stdin, "-" when there are none.
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print a[int((NR + 1) / 2)] }'; }
now_ns() { date +%s%N; }
# a / b to two places, "-" when either is missing or b is zero.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }

# start_auth DLL: runs `teleport start` with only auth_service; sets auth (its API port) once it is ready.
start_auth() {
  auth=$(free_port)
  printf 'version: v3\nteleport:\n  data_dir: %s/data\n  diag_addr: 127.0.0.1:%s\nauth_service:\n  listen_addr: 127.0.0.1:%s\nproxy_service:\n  enabled: false\nssh_service:\n  enabled: false\n' \
    "$work" "$(free_port)" "$auth" > "$work/teleport.yaml"
  : > "$work/teleport.log"
  TELEPORT_SILO_PORT=$(free_port) TELEPORT_GATEWAY_PORT=$(free_port) dotnet "$1" start --config "$work/teleport.yaml" > "$work/teleport.log" 2>&1 &
  pids+=($!)
  until grep -q "Auth service is running" "$work/teleport.log"; do
    kill -0 "${pids[-1]}" || { cat "$work/teleport.log"; exit 1; }
    sleep 0.1
  done
}

# start_sshd NAME PORT FORWARDING [LINE...]: OpenSSH's sshd on 127.0.0.1:PORT trusting the user CA in
# $work/user_ca.pub (certificates only), AllowTcpForwarding FORWARDING, plus any extra sshd_config LINEs.
start_sshd() {
  ssh-keygen -q -t ed25519 -N '' -f "$work/$1_host"
  {
    printf 'ListenAddress 127.0.0.1\nPort %s\nHostKey %s\nPidFile %s\n' "$2" "$work/$1_host" "$work/$1.pid"
    printf 'TrustedUserCAKeys %s\nAuthorizedKeysFile none\nPasswordAuthentication no\nUsePAM no\n' "$work/user_ca.pub"
    printf 'PermitRootLogin yes\nAllowTcpForwarding %s\n' "$3"
    printf '%s\n' "${@:4}"
  } > "$work/$1_config"
  /usr/sbin/sshd -D -e -f "$work/$1_config" 2>"$work/$1.log" &
  pids+=($!)
}

# echo_latency COMMAND...: runs COMMAND in a pseudo-terminal of its own, waits for READY from the remote side, then
# types one byte at a time (KEYS after WARMUP untimed, a carriage return every 64) and times the echo of each; prints
# "median p99" in µs. $keys and $warmup must be set.
echo_latency() {
  python3 - "$keys" "$warmup" "$@" <<'PY'
import fcntl, os, pty, select, struct, sys, termios, time
keys, warmup, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
seen = b""
def read_until(marker, limit=30):
    global seen
    deadline = time.monotonic() + limit
    while marker not in seen:
        if not select.select([fd], [], [], max(0, deadline - time.monotonic()))[0]:
            sys.exit(f"no {marker!r} from {argv[0]} within {limit} s; got {seen[-300:]!r}")
        seen += os.read(fd, 65536)
    seen = seen[seen.index(marker) + len(marker):]
read_until(b"READY")
samples = []
for i in range(warmup + keys):
    if i % 64 == 63:
        os.write(fd, b"\r")
        read_until(b"\n")
    start = time.perf_counter_ns()
    os.write(fd, b"x")
    read_until(b"x")
    if i >= warmup:
        samples.append((time.perf_counter_ns() - start) / 1000)
os.write(fd, b"\r\x04")
os.waitpid(pid, 0)
samples.sort()
print(f"{samples[len(samples) // 2]:.0f} {samples[min(len(samples) - 1, int(len(samples) * 0.99))]:.0f}")
PY
}
