#!/usr/bin/env bash
# Keystroke-to-echo latency of an interactive session through the gateway, `tsh ssh -t` next to OpenSSH's
# `ssh -tt -J` through the same proxy to the same node, and OpenSSH with `tsh config` (ProxyCommand `tsh proxy ssh`, the
# proxy subsystem tsh ssh uses too) (the node service of `teleport start`), same run: each client
# runs in a pseudo-terminal of its own with `cat > /dev/null` on the node, and one byte at a time is typed and timed
# until the remote terminal's echo of it comes back (KEYS keystrokes after WARMUP untimed ones; a carriage return
# every 64 keys keeps the remote line short). Prints the median and p99 in microseconds, and the ratio tsh/OpenSSH.
# Every process is stopped by PID at the end and the temporary directory removed.
# Settings (environment): KEYS (200), WARMUP (100), BUILD_LOCK=FILE (build under `flock FILE`),
# TSH_DLL=PATH (time that tsh build, e.g. a copy of an earlier one, instead of the repository's).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
keys=${KEYS:-200}
warmup=${WARMUP:-100}

command -v ssh >/dev/null || { echo "install openssh-client first" >&2; exit 1; }
build_bench cli/tsh/tsh.csproj
tsh=(dotnet "${TSH_DLL:-$PWD/cli/tsh/bin/$configuration/net10.0/tsh.dll}")

# The cluster: auth + proxy in one process (second factor off, so tsh login takes the password alone), and a node.
start_cluster
login=$(id -un)
add_bench_user "$login"
start_bench_node

# tsh logged in as bench; OpenSSH with a certificate for the same user and the cluster's host CA.
export TSH_HOME=$work/tsh
echo "bench password" | "${tsh[@]}" login --proxy="127.0.0.1:$web" --user=bench --insecure >/dev/null 2>&1
sign_bench_user
echo "@cert-authority * $host_ca" > "$work/known_hosts"
write_ssh_config

remote='echo READY; exec cat > /dev/null'
tsh_result=$(echo_latency "${tsh[@]}" ssh -t "$login@bench-node" "$remote")
ssh_result=$(echo_latency ssh -F "$work/ssh_config" -tt -J "bench@127.0.0.1:$proxy" -o HostKeyAlias=bench-node -p "$node" 127.0.0.1 "$remote")
"${tsh[@]}" config > "$work/tsh_config"
cluster=$(awk '/^Host \*\./ { sub(/^Host \*\./, ""); print; exit }' "$work/tsh_config")
config_result=$(echo_latency ssh -F "$work/tsh_config" -tt "$login@bench-node.$cluster" "$remote")
read -r tsh_median tsh_p99 <<<"$tsh_result"
read -r ssh_median ssh_p99 <<<"$ssh_result"
read -r config_median config_p99 <<<"$config_result"
echo "keystroke-to-echo through the proxy to the node service, $keys keystrokes after $warmup untimed:"
echo "  tsh ssh -t:          median $tsh_median µs   p99 $tsh_p99 µs"
echo "  OpenSSH ssh -tt -J:  median $ssh_median µs   p99 $ssh_p99 µs"
echo "  OpenSSH tsh config:  median $config_median µs   p99 $config_p99 µs (ProxyCommand tsh proxy ssh)"
echo "  ratio tsh/OpenSSH:   median $(ratio "$tsh_median" "$ssh_median")   p99 $(ratio "$tsh_p99" "$ssh_p99")"
