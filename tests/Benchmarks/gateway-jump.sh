#!/usr/bin/env bash
# The gateway's SSH proxy next to an OpenSSH sshd bastion, to the same OpenSSH sshd target, with the same OpenSSH
# client, cipher (CIPHER, default aes128-gcm@openssh.com) and user certificate:
#   1. throughput: `head -c SIZE /dev/zero | ssh -J BASTION target 'cat > /dev/null'`, one run each, in MiB/s;
#   2. connect-and-exec latency: median of EXEC_RUNS `ssh -J BASTION target true`, in ms;
#   3. logins per second through POST /v1/webapi/ssh/certs (second factor off), LOGINS requests CONCURRENCY at a time
#      (at most 40, the burst the web login rate limit allows one address and one user);
#   4. with PHASES=N, where connect-and-exec spends its time: median of N `ssh -vvv -J`, the ms at which the client
#      had authenticated to the jump host, had the channel to the target open, had authenticated to the target, and
#      exited (the rest is the target's sshd, the same for both).
# Each figure is printed with the ratio gateway/OpenSSH where there is one. Every process is stopped by PID at the end.
# Settings (environment): SIZE (bytes, default 536870912), EXEC_RUNS (10), LOGINS (40), CONCURRENCY (4), PHASES (0),
# BUILD_LOCK=FILE (build under `flock FILE`).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
size=${SIZE:-536870912}
exec_runs=${EXEC_RUNS:-10}
logins=${LOGINS:-40}
concurrency=${CONCURRENCY:-4}
phase_runs=${PHASES:-0}
cipher=${CIPHER:-aes128-gcm@openssh.com}
mkdir -p /run/sshd

build_bench

# The cluster: auth + proxy in one process, second factor off so that logins can be timed without OTP.
start_cluster
login=$(id -un)
add_bench_user "$login"
sign_bench_user

# Target and bastion: OpenSSH sshd, both trusting the cluster's user CA.
target=$(free_port); bastion=$(free_port)
start_sshd target "$target" no "MaxStartups 100:30:200"
start_sshd bastion "$bastion" yes "MaxStartups 100:30:200"
add_openssh_node "$target"
# Both jump hosts are given the target as 127.0.0.1:PORT (the gateway finds the node by its address).
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

throughput() { # jump-port -> MiB/s
  local start end
  start=$(now_ns)
  head -c "$size" /dev/zero | jump "$1" 'cat > /dev/null'
  end=$(now_ns)
  awk -v b="$size" -v ns=$((end - start)) 'BEGIN { printf "%.1f", b / 1048576 / (ns / 1e9) }'
}
latency() { # jump-port -> median ms
  for _ in $(seq "$exec_runs"); do
    local start end
    start=$(now_ns); jump "$1" true; end=$(now_ns)
    echo $(((end - start) / 1000000))
  done | median
}

# The client's own debug log, timestamped as it is written, marks the phases of one connect-and-exec.
phases_once() { # jump-port -> "jump-authenticated channel-open target-authenticated exit" in ms
  python3 - "$@" <<'PY'
import os, subprocess, sys, time
start = time.monotonic()
ssh = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
marks, pending = [], b""
patterns = [b"Authenticated to", b"channel 0: open confirm", b"Authenticated to"]
while chunk := os.read(ssh.stderr.fileno(), 65536):
    now = (time.monotonic() - start) * 1000
    *lines, pending = (pending + chunk).split(b"\n")
    for line in lines:
        if len(marks) < len(patterns) and patterns[len(marks)] in line:
            marks.append(now)
ssh.wait()
marks += [float("nan")] * (len(patterns) - len(marks)) + [(time.monotonic() - start) * 1000]
print(" ".join(f"{m:.1f}" for m in marks))
PY
}
phases() { # jump-port -> the median of each phase mark
  local runs marks=()
  runs=$(for _ in $(seq "$phase_runs"); do
    phases_once ssh -vvv -F "$work/ssh_config" -J "127.0.0.1:$1" -p "$target" 127.0.0.1 true
  done)
  for column in 1 2 3 4; do marks+=("$(cut -d' ' -f"$column" <<<"$runs" | median)"); done
  echo "${marks[0]} / ${marks[1]} / ${marks[2]} / ${marks[3]}"
}

gw_rate=$(throughput "$proxy")
os_rate=$(throughput "$bastion")
gw_lat=$(latency "$proxy")
os_lat=$(latency "$bastion")

pub=$(ssh-keygen -y -f "$work/user" | cut -d' ' -f1,2)
body="{\"user\":\"bench\",\"password\":\"bench password\",\"pub_key\":\"$pub\",\"ttl\":3600}"
login_once() { curl -ksf -o /dev/null -X POST "https://127.0.0.1:$web/v1/webapi/ssh/certs" -H 'Content-Type: application/json' -d "$body"; }
export -f login_once; export web body
start=$(now_ns)
seq "$logins" | xargs -P "$concurrency" -I{} bash -c login_once
end=$(now_ns)
login_rate=$(awk -v n="$logins" -v ns=$((end - start)) 'BEGIN { printf "%.1f", n / (ns / 1e9) }')

echo "cipher $cipher, $((size / 1048576)) MiB, one run each"
echo "throughput  gateway ssh -J: $gw_rate MiB/s   OpenSSH bastion: $os_rate MiB/s   ratio gateway/OpenSSH: $(ratio "$gw_rate" "$os_rate")"
echo "connect+exec gateway: $gw_lat ms   OpenSSH bastion: $os_lat ms (median of $exec_runs)   ratio: $(ratio "$gw_lat" "$os_lat")"
if [ "$phase_runs" -gt 0 ]; then
  echo "phases (ms, median of $phase_runs; jump host authenticated / channel to target open / target authenticated / exit):"
  echo "  gateway:         $(phases "$proxy")"
  echo "  OpenSSH bastion: $(phases "$bastion")"
fi
echo "logins: $login_rate /s through POST /v1/webapi/ssh/certs ($logins logins, $concurrency at a time, bcrypt + two signatures each)"
