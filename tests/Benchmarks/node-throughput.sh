#!/usr/bin/env bash
# The node service (ssh_service of `teleport start`, joined to an auth service with a token) next to OpenSSH's sshd
# trusting the same user CA, through the same OpenSSH client, cipher and certificate (from `tctl auth sign`), on 127.0.0.1:
#   1. join-to-listed: from starting the node process until `tctl nodes ls` lists it, in ms;
#   2. throughput: SIZE bytes `head -c SIZE /dev/zero | ssh ... 'cat > /dev/null'` (upload) and
#      `ssh ... 'head -c SIZE /dev/zero' > /dev/null` (download), and TERMINAL_SIZE bytes of output through a
#      pseudo-terminal (`ssh -tt ... 'head -c N /dev/zero | tr "\0" x'`), median of RUNS, MiB/s, ratio node/sshd;
#   3. memory: the node process's RSS at idle and with SESSIONS concurrent exec sessions open, against the summed RSS of
#      sshd and its per-connection processes (the sessions' own shells are not counted for either).
# Every process is stopped by PID at the end and the temporary directory removed.
# Settings (environment): SIZE (bytes, default 536870912), TERMINAL_SIZE (67108864), RUNS (3), SESSIONS (50),
# CIPHER (aes256-gcm@openssh.com), BUILD_LOCK=FILE (build under `flock FILE`).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
size=${SIZE:-536870912}
terminal_size=${TERMINAL_SIZE:-67108864}
runs=${RUNS:-3}
sessions=${SESSIONS:-50}
cipher=${CIPHER:-aes256-gcm@openssh.com}

[ -x /usr/sbin/sshd ] && command -v ssh >/dev/null || { echo "install openssh-server and openssh-client first" >&2; exit 1; }
mkdir -p /run/sshd

"${lock[@]}" dotnet build cli/teleport/teleport.csproj -c Release -nologo -v q >/dev/null
"${lock[@]}" dotnet build cli/tctl/tctl.csproj -c Release -nologo -v q >/dev/null
teleport=(dotnet "$PWD/cli/teleport/bin/Release/net10.0/teleport.dll")

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# Summed RSS (KiB) of a process and its descendants whose command name starts with $2.
tree_rss_kib() {
  ps -e -o pid=,ppid=,comm=,rss= | awk -v root="$1" -v name="$2" '
    { parent[$1] = $2; comm[$1] = $3; rss[$1] = $4 }
    END {
      for (p in parent) {
        q = p; inside = 0
        while (q != "" && q != 0 && q != 1) { if (q == root) { inside = 1; break } q = parent[q] }
        if (inside && index(comm[p], name) == 1) total += rss[p]
      }
      print total + 0
    }'
}

auth_port=$(free_port); node_port=$(free_port); diag_port=$(free_port); sshd_port=$(free_port)
cat > "$work/auth.yaml" <<EOF
version: v3
teleport:
  nodename: bench-auth
  data_dir: $work/auth
  diag_addr: 127.0.0.1:$diag_port
auth_service:
  enabled: true
  cluster_name: bench.example.com
  listen_addr: 127.0.0.1:$auth_port
proxy_service:
  enabled: false
ssh_service:
  enabled: false
EOF
TELEPORT_SILO_PORT=$(free_port) TELEPORT_GATEWAY_PORT=$(free_port) "${teleport[@]}" start -c "$work/auth.yaml" >"$work/auth.log" 2>&1 &
auth_pid=$!
pids+=("$auth_pid")
wait_for "$work/auth.log" "Auth service is running." "$auth_pid"
tctl() { dotnet "$PWD/cli/tctl/bin/Release/net10.0/tctl.dll" --config "$work/auth.yaml" "$@"; }

login=$(id -un)
token=bench$(date +%s%N)
tctl tokens add --type=node --value="$token" >/dev/null
tctl users add bench --roles=access --logins="$login" >/dev/null
tctl auth sign --user=bench --ttl=2h --format=openssh --out="$work/bench" >/dev/null
tctl auth export --type=user | awk '{ print $2, $3 }' > "$work/user_ca.pub"

cat > "$work/node.yaml" <<EOF
version: v3
teleport:
  nodename: bench-node
  data_dir: $work/node
  auth_token: $token
  auth_server: 127.0.0.1:$auth_port
auth_service:
  enabled: false
proxy_service:
  enabled: false
ssh_service:
  enabled: true
  listen_addr: 127.0.0.1:$node_port
EOF
start=$(now_ns)
"${teleport[@]}" start -c "$work/node.yaml" >"$work/node.log" 2>&1 &
node_pid=$!
pids+=("$node_pid")
until tctl nodes ls 2>/dev/null | grep -q bench-node; do kill -0 "$node_pid" || { cat "$work/node.log"; exit 1; }; sleep 0.05; done
join_ms=$(( ($(now_ns) - start) / 1000000 ))
# The node's own view, without tctl's process start-up in the polling: its log stamps the first heartbeat.
announced=$(grep -m1 'announced to the cluster' "$work/node.log" | cut -d' ' -f1)
announce_ms=$(( ($(date -d "$announced" +%s%N) - start) / 1000000 ))
wait_for "$work/node.log" "Access policy updated" "$node_pid"

ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$work/hostkey"
cat > "$work/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $sshd_port
HostKey $work/hostkey
TrustedUserCAKeys $work/user_ca.pub
AuthorizedKeysFile none
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 200
MaxSessions 200
PidFile $work/sshd.pid
LogLevel ERROR
EOF
/usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
pids+=("$sshd_pid")

ssh_base=(ssh -F none -i "$work/bench" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no
  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=20 -o Compression=no -c "$cipher")
ssh_to() { "${ssh_base[@]}" -p "$@"; }
for _ in $(seq 100); do ssh_to "$sshd_port" -n "$login@127.0.0.1" true 2>/dev/null && break; kill -0 "$sshd_pid" || { cat "$work/sshd.log"; exit 1; }; sleep 0.1; done
ssh_to "$node_port" -n "$login@127.0.0.1" true

upload_seconds() { # port bytes
  local t; t=$(now_ns)
  head -c "$2" /dev/zero | ssh_to "$1" "$login@127.0.0.1" 'cat > /dev/null'
  awk -v ns="$(( $(now_ns) - t ))" 'BEGIN { printf "%.3f", ns / 1e9 }'
}
download_seconds() { # port bytes
  local t; t=$(now_ns)
  ssh_to "$1" -n "$login@127.0.0.1" "head -c $2 /dev/zero" > /dev/null
  awk -v ns="$(( $(now_ns) - t ))" 'BEGIN { printf "%.3f", ns / 1e9 }'
}
# terminal: output through a pseudo-terminal, as `cat bigfile` in an interactive session shows it.
terminal_seconds() { # port bytes
  local t; t=$(now_ns)
  ssh_to "$1" -tt -n "$login@127.0.0.1" "head -c $2 /dev/zero | tr '\\0' x" > /dev/null
  awk -v ns="$(( $(now_ns) - t ))" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

echo "Node benchmark: teleport node (pid $node_pid) vs sshd ($(ssh -V 2>&1)), cipher $cipher, 127.0.0.1, $(nproc) cores"
echo
echo "join-to-listed: $announce_ms ms (node process start until its first accepted heartbeat); $join_ms ms until a polling tctl nodes ls showed it"
echo
echo "throughput: $((size / 1048576)) MiB ($((terminal_size / 1048576)) MiB through a terminal), median of $runs (after a warm-up of an eighth)"
for direction in upload download terminal; do
  declare -A mibs=()
  bytes=$size
  [ "$direction" = terminal ] && bytes=$terminal_size
  for server in node sshd; do
    port=$node_port
    [ "$server" = sshd ] && port=$sshd_port
    "${direction}_seconds" "$port" $((bytes / 8)) >/dev/null
    times=()
    for _ in $(seq "$runs"); do times+=("$("${direction}_seconds" "$port" "$bytes")"); done
    seconds=$(printf '%s\n' "${times[@]}" | median)
    mibs[$server]=$(awk -v s="$seconds" -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 / s }')
    printf '  %-9s %-5s %8s MiB/s   (%s s; runs: %s)\n' "$direction" "$server" "${mibs[$server]}" "$seconds" "${times[*]}"
  done
  printf '  %-9s ratio node/sshd: %s\n' "$direction" "$(ratio "${mibs[node]}" "${mibs[sshd]}")"
done

echo
echo "memory (RSS, MiB)"
node_idle=$(rss_kib "$node_pid")
sshd_idle=$(tree_rss_kib "$sshd_pid" sshd)
open_sessions() { # port tag
  for i in $(seq "$sessions"); do
    ssh_to "$1" -n "$login@127.0.0.1" "echo ready; exec sleep 600" > "$work/$2-$i.out" 2>&1 &
    pids+=("$!")
  done
  for _ in $(seq 600); do
    [ "$(cat "$work"/"$2"-*.out 2>/dev/null | grep -c ready)" -ge "$sessions" ] && return 0
    sleep 0.1
  done
  echo "only $(cat "$work"/"$2"-*.out | grep -c ready) of $sessions sessions opened on $2" >&2; exit 1
}
open_sessions "$node_port" node
node_busy=$(rss_kib "$node_pid")
open_sessions "$sshd_port" sshd
sshd_busy=$(tree_rss_kib "$sshd_pid" sshd)
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
printf '  idle:                 node %7s   sshd %7s\n' "$(mib "$node_idle")" "$(mib "$sshd_idle")"
printf '  %3d sessions open:    node %7s   sshd %7s   (sshd: listener + per-connection processes)\n' "$sessions" "$(mib "$node_busy")" "$(mib "$sshd_busy")"
printf '  per session:          node %7s   sshd %7s   ratio node/sshd: %s\n' \
  "$(awk -v a="$node_busy" -v b="$node_idle" -v n="$sessions" 'BEGIN { printf "%.2f", (a - b) / 1024 / n }')" \
  "$(awk -v a="$sshd_busy" -v b="$sshd_idle" -v n="$sessions" 'BEGIN { printf "%.2f", (a - b) / 1024 / n }')" \
  "$(ratio $((node_busy - node_idle)) $((sshd_busy - sshd_idle)))"
