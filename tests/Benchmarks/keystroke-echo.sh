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
for project in cli/teleport/teleport.csproj cli/tctl/tctl.csproj cli/tsh/tsh.csproj; do
  "${lock[@]}" dotnet build "$project" -c Release -nologo -v q >/dev/null
done
teleport=(dotnet "$PWD/cli/teleport/bin/Release/net10.0/teleport.dll")
tsh=(dotnet "${TSH_DLL:-$PWD/cli/tsh/bin/Release/net10.0/tsh.dll}")

wait_for() { # file text pid
  for _ in $(seq 600); do grep -qF "$2" "$1" 2>/dev/null && return 0; kill -0 "$3" 2>/dev/null || { cat "$1"; exit 1; }; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; exit 1
}

# The cluster: auth + proxy in one process (second factor off, so tsh login takes the password alone), and a node.
web=$(free_port); proxy=$(free_port); auth=$(free_port); node=$(free_port)
cat > "$work/teleport.yaml" <<YAML
version: v3
teleport:
  nodename: bench
  data_dir: $work/data
  diag_addr: 127.0.0.1:$(free_port)
auth_service:
  listen_addr: 127.0.0.1:$auth
  proxy_listener_mode: separate
  authentication:
    type: local
    second_factor: "off"
proxy_service:
  web_listen_addr: 127.0.0.1:$web
  listen_addr: 127.0.0.1:$proxy
  tunnel_listen_addr: 127.0.0.1:$(free_port)
  public_addr: 127.0.0.1:$web
ssh_service:
  enabled: false
YAML
TELEPORT_SILO_PORT=$(free_port) TELEPORT_GATEWAY_PORT=$(free_port) "${teleport[@]}" start -c "$work/teleport.yaml" >"$work/teleport.log" 2>&1 &
pids+=($!)
wait_for "$work/teleport.log" "SSH proxy listening" "${pids[0]}"
tctl() { dotnet "$PWD/cli/tctl/bin/Release/net10.0/tctl.dll" --config "$work/teleport.yaml" "$@"; }

login=$(id -un)
token=bench$(date +%s%N)
tctl tokens add --type=node --value="$token" >/dev/null
link=$(tctl users add bench --roles=access --logins="$login" | grep -o 'https://[^ ]*/web/invite/[0-9a-f]*')
curl -ksf -X PUT "https://127.0.0.1:$web/v1/webapi/users/password/token" -H 'Content-Type: application/json' \
  -d "{\"token\":\"${link##*/}\",\"password\":\"bench password\"}" >/dev/null

cat > "$work/node.yaml" <<YAML
version: v3
teleport:
  nodename: bench-node
  data_dir: $work/node
  auth_token: $token
  auth_server: 127.0.0.1:$auth
auth_service:
  enabled: false
proxy_service:
  enabled: false
ssh_service:
  enabled: true
  listen_addr: 127.0.0.1:$node
YAML
"${teleport[@]}" start -c "$work/node.yaml" >"$work/node.log" 2>&1 &
pids+=($!)
until tctl nodes ls 2>/dev/null | grep -q bench-node; do kill -0 "${pids[1]}" || { cat "$work/node.log"; exit 1; }; sleep 0.1; done
wait_for "$work/node.log" "Access policy updated" "${pids[1]}"

# tsh logged in as bench; OpenSSH with a certificate for the same user and the cluster's host CA.
export TSH_HOME=$work/tsh
echo "bench password" | "${tsh[@]}" login --proxy="127.0.0.1:$web" --user=bench --insecure >/dev/null 2>&1
tctl auth sign --user=bench --format=openssh --out="$work/user" --ttl=1h >/dev/null
echo "@cert-authority * $(tctl auth export --type=host | awk '{ print $3, $4 }')" > "$work/known_hosts"
cat > "$work/ssh_config" <<CONF
Host *
  User $login
  IdentityFile $work/user
  CertificateFile $work/user-cert.pub
  IdentitiesOnly yes
  UserKnownHostsFile $work/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
CONF

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
