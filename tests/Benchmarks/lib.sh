# shellcheck shell=bash
# The set-up every benchmark script shares. Source it from the repository root after `set -euo pipefail`:
#   cd "$(dirname "$0")/../.." && . tests/Benchmarks/lib.sh
# It provides: $work, a temp dir removed at exit; pids, processes stopped by PID at exit (add with pids+=($!));
# lock, a `flock FILE` prefix for builds when BUILD_LOCK=FILE; free_port, median, now_ns, ratio, percentiles, timed;
# resources_as_tsh, list_all_pages, first_page_ms (node listings); and the cluster
# helpers below: build_bench, tctl, wait_for, launch_teleport, start_cluster, start_split, perf_map_on/off, perf_top, start_auth, add_bench_user, sign_bench_user, start_sshd,
# add_openssh_node, write_ssh_config.
# CONFIGURATION (default Release) picks the build every helper uses; TELEPORT_DLL runs another teleport build (with
# NO_BUILD=1: to compare a saved copy of a build against the current one in the same conditions).
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
# percentiles NAME: one line with the p50 and p99 of the millisecond values on stdin.
percentiles() { sort -n | awk -v name="$1" '{ a[NR] = $1 } END { i = int(NR * 0.99 + 0.5); if (i < 1) i = 1
  printf "  %-40s p50 %7.1f ms  p99 %7.1f ms  (%d runs)\n", name, a[int((NR + 1) / 2)], a[i], NR }'; }
# timed CMD...: CMD's wall time in ms; its output goes to $work/out, shown (and the script ended) if it fails.
timed() { local s; s=$(now_ns); "$@" > "$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }; echo $(( ($(now_ns) - s) / 1000 )) | awk '{ printf "%.1f\n", $1 / 1000 }'; }
# a / b to two places, "-" when either is missing or b is zero.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }

configuration=${CONFIGURATION:-Release}
teleport_dll=${TELEPORT_DLL:-$PWD/cli/teleport/bin/$configuration/net10.0/teleport.dll}

# build_bench [PROJECT...]: builds teleport, tctl and each PROJECT in $configuration (under the build lock); NO_BUILD=1
# uses the builds there are.
build_bench() {
  local project
  if [ "${NO_BUILD:-0}" = 1 ]; then return 0; fi
  for project in cli/teleport/teleport.csproj cli/tctl/tctl.csproj "$@"; do
    "${lock[@]}" dotnet build "$project" -c "$configuration" -nologo -v q >/dev/null
  done
}

tctl() { dotnet "$PWD/cli/tctl/bin/$configuration/net10.0/tctl.dll" --config "$work/teleport.yaml" "$@"; }

# wait_for FILE TEXT PID: until FILE holds TEXT (60 s at most); prints FILE and exits if PID ends first.
wait_for() {
  for _ in $(seq 600); do
    grep -qF "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { cat "$1"; exit 1; }
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1" >&2; exit 1
}

# launch_teleport READY: (again) `teleport start` with $work/teleport.yaml, its silo ports free, logging to
# $work/teleport.log; sets cluster_pid once the log holds READY.
launch_teleport() {
  : > "$work/teleport.log"
  TELEPORT_SILO_PORT=$(free_port) TELEPORT_GATEWAY_PORT=$(free_port) \
    dotnet "$teleport_dll" start --config "$work/teleport.yaml" > "$work/teleport.log" 2>&1 &
  cluster_pid=$!
  pids+=("$cluster_pid")
  wait_for "$work/teleport.log" "$1" "$cluster_pid"
}

# perf_map_on, perf_map_off: with PERF set, the teleport processes started between them write a perf map and keep
# their JIT code singly mapped, so that `perf report` names compiled .NET frames.
perf_map_on() { if [ -n "${PERF:-}" ]; then export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0; fi; }
perf_map_off() { unset DOTNET_PerfMapEnabled DOTNET_EnableWriteXorExecute; }

# perf_top FILE [SORT] [COUNT]: the COUNT (40) largest entries of a perf recording by SORT (dso,sym), no call graphs.
perf_top() {
  perf report -i "$1" --no-children --sort "${2:-dso,sym}" --stdio -g none 2>/dev/null | grep '%' | head -n "${3:-40}" | cut -c1-180 || true
}

# start_cluster [YAML]: the cluster most benchmarks measure, auth and proxy in one teleport process (second factor
# off, so logins need a password alone), on free loopback ports, data in $work/data, config $work/teleport.yaml.
# YAML is appended to the config (more sections: ssh_service, app_service); without an ssh_service section the node
# service is off; CLUSTER_NAME names the cluster; TELEPORT_LINES (indented) go into the teleport section. READY (default "SSH proxy listening") is the log line awaited. Sets web, proxy, tunnel, auth (ports)
# and cluster_pid; logs to $work/teleport.log.
start_cluster() {
  web=$(free_port); proxy=$(free_port); tunnel=$(free_port); auth=$(free_port)
  {
    printf 'version: v3\nteleport:\n  nodename: bench\n  data_dir: %s/data\n  diag_addr: 127.0.0.1:%s\n' "$work" "$(free_port)"
    if [ -n "${TELEPORT_LINES:-}" ]; then printf '%s\n' "$TELEPORT_LINES"; fi
    printf 'auth_service:\n  listen_addr: 127.0.0.1:%s\n  proxy_listener_mode: separate\n' "$auth"
    if [ -n "${CLUSTER_NAME:-}" ]; then printf '  cluster_name: %s\n' "$CLUSTER_NAME"; fi
    printf '  authentication:\n    type: local\n    second_factor: "off"\n'
    printf 'proxy_service:\n  web_listen_addr: 127.0.0.1:%s\n  listen_addr: 127.0.0.1:%s\n' "$web" "$proxy"
    printf '  tunnel_listen_addr: 127.0.0.1:%s\n  public_addr: 127.0.0.1:%s\n' "$tunnel" "$web"
    # PROXY_YAML: more proxy_service lines, indented two spaces (e.g. raised ssh_max_startups).
    if [ -n "${PROXY_YAML:-}" ]; then printf '%s\n' "$PROXY_YAML"; fi
    if ! grep -q '^ssh_service:' <<< "${1:-}"; then printf 'ssh_service:\n  enabled: false\n'; fi
    if [ -n "${1:-}" ]; then printf '%s\n' "$1"; fi
  } > "$work/teleport.yaml"
  launch_teleport "${READY:-SSH proxy listening}"
}

# start_split: the HA shape on one machine: an auth-only teleport process (cluster_pid, $work/teleport.yaml, data in
# $work/data, logs $work/teleport.log) and a proxy-only process joined to it with a proxy token (proxy_pid,
# $work/proxy.yaml, logs $work/proxy.log). Sets web, proxy, tunnel, auth (ports) as start_cluster does; CLUSTER_NAME
# names the cluster and PROXY_YAML adds proxy_service lines.
start_split() {
  web=$(free_port); proxy=$(free_port); tunnel=$(free_port); auth=$(free_port)
  {
    printf 'version: v3\nteleport:\n  nodename: auth\n  data_dir: %s/data\n  diag_addr: 127.0.0.1:%s\n' "$work" "$(free_port)"
    printf 'auth_service:\n  listen_addr: 127.0.0.1:%s\n' "$auth"
    if [ -n "${CLUSTER_NAME:-}" ]; then printf '  cluster_name: %s\n' "$CLUSTER_NAME"; fi
    printf '  authentication:\n    type: local\n    second_factor: "off"\n'
    printf 'proxy_service:\n  enabled: false\nssh_service:\n  enabled: false\n'
  } > "$work/teleport.yaml"
  launch_teleport "Auth service is running"
  tctl tokens add --type=proxy --value=bench-proxy-token >/dev/null
  {
    printf 'version: v3\nteleport:\n  nodename: proxy\n  data_dir: %s/proxy\n  diag_addr: 127.0.0.1:%s\n' "$work" "$(free_port)"
    printf '  auth_server: 127.0.0.1:%s\n  auth_token: bench-proxy-token\n' "$auth"
    # Separate listeners, as start_cluster has them: tunnels on tunnel_listen_addr, SSH on listen_addr.
    printf 'auth_service:\n  enabled: false\n  proxy_listener_mode: separate\nssh_service:\n  enabled: false\n'
    printf 'proxy_service:\n  enabled: true\n  web_listen_addr: 127.0.0.1:%s\n  listen_addr: 127.0.0.1:%s\n' "$web" "$proxy"
    printf '  tunnel_listen_addr: 127.0.0.1:%s\n  public_addr: 127.0.0.1:%s\n' "$tunnel" "$web"
    if [ -n "${PROXY_YAML:-}" ]; then printf '%s\n' "$PROXY_YAML"; fi
  } > "$work/proxy.yaml"
  start_split_proxy
}

# start_split_proxy: (again) the proxy process of start_split, same config and ports; sets proxy_pid.
start_split_proxy() {
  : > "$work/proxy.log"
  dotnet "$teleport_dll" start --config "$work/proxy.yaml" > "$work/proxy.log" 2>&1 &
  proxy_pid=$!
  pids+=("$proxy_pid")
  wait_for "$work/proxy.log" "Proxy service is running" "$proxy_pid"
}

# start_bench_node: a node-only teleport process "bench-node" joined to start_cluster's auth service with a node token,
# its SSH port in node; returns once it is listed and has its access policy. Sets node_pid; logs to $work/node.log.
start_bench_node() {
  local token
  node=$(free_port)
  token=bench$(date +%s%N)
  tctl tokens add --type=node --value="$token" >/dev/null
  {
    printf 'version: v3\nteleport:\n  nodename: bench-node\n  data_dir: %s/node\n' "$work"
    printf '  auth_token: %s\n  auth_server: 127.0.0.1:%s\n' "$token" "$auth"
    printf 'auth_service:\n  enabled: false\nproxy_service:\n  enabled: false\n'
    printf 'ssh_service:\n  enabled: true\n  listen_addr: 127.0.0.1:%s\n' "$node"
  } > "$work/node.yaml"
  dotnet "$teleport_dll" start -c "$work/node.yaml" > "$work/node.log" 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  until tctl nodes ls 2>/dev/null | grep -q bench-node; do kill -0 "$node_pid" || { cat "$work/node.log"; exit 1; }; sleep 0.1; done
  wait_for "$work/node.log" "Access policy updated" "$node_pid"
}

# add_bench_user LOGIN: user "bench" with role access and LOGIN, its password set to "bench password".
# bench_login: the login benchmark sessions run as. As root, a system user with a plain /bin/sh (created once), so
# the machine's root login scripts (here pyenv's, which takes a lock on every shell start) do not load the run.
bench_login() {
  if [ "$(id -u)" != 0 ]; then id -un; return; fi
  if ! id teleport-bench >/dev/null 2>&1; then
    useradd --system --create-home --home-dir /var/lib/teleport-bench --shell /bin/sh teleport-bench
  fi
  # Not locked ('!'): sshd without PAM refuses locked accounts even with a certificate.
  usermod -p '*' teleport-bench
  echo teleport-bench
}

add_bench_user() {
  local link
  link=$(tctl users add bench --roles=access --logins="$1" | grep -o 'https://[^ ]*/web/invite/[0-9a-f]*')
  curl -ksf -X PUT "https://127.0.0.1:$web/v1/webapi/users/password/token" -H 'Content-Type: application/json' \
    -d "{\"token\":\"${link##*/}\",\"password\":\"bench password\"}" >/dev/null
}

# sign_bench_user: an OpenSSH key and certificate for "bench" in $work/user and $work/user-cert.pub, the user CA in
# $work/user_ca.pub (for sshd's TrustedUserCAKeys) and the host CA's key in host_ca (for known_hosts).
sign_bench_user() {
  tctl auth sign --user=bench --format=openssh --out="$work/user" --ttl=1h >/dev/null
  tctl auth export --type=user | awk '{ print $2, $3 }' > "$work/user_ca.pub"
  host_ca=$(tctl auth export --type=host | awk '{ print $3, $4 }')
}

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

# add_openssh_node PORT [HOSTNAME]: registers the OpenSSH sshd on 127.0.0.1:PORT as an agentless node (HOSTNAME,
# default "target"), so the proxy routes to it.
add_openssh_node() {
  printf 'kind: node\nsub_kind: openssh\nversion: v2\nmetadata:\n  name: %s\nspec:\n  addr: 127.0.0.1:%s\n  hostname: %s\n' \
    "$(python3 -c 'import uuid; print(uuid.uuid4())')" "$1" "${2:-target}" > "$work/openssh-node-$1.yaml"
  tctl create "$work/openssh-node-$1.yaml" >/dev/null
}

# write_ssh_config [LINE...]: $work/ssh_config for OpenSSH as LOGIN ($login) with sign_bench_user's certificate,
# host keys checked against $work/known_hosts (the caller writes it), batch mode; each LINE is added (e.g. "Ciphers X").
write_ssh_config() {
  {
    printf 'Host *\n  User %s\n  IdentityFile %s/user\n  CertificateFile %s/user-cert.pub\n  IdentitiesOnly yes\n' "$login" "$work" "$work"
    printf '  UserKnownHostsFile %s/known_hosts\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  BatchMode yes\n' "$work"
    local line
    for line in "$@"; do printf '  %s\n' "$line"; done
  } > "$work/ssh_config"
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

# resources_as_tsh: defines `resources QUERY [CURL ARGS...]`, the proxy's resources call (kinds=node, cluster $cluster,
# web port $web) made as tsh makes it, with the TLS certificate of the tsh login in $work/tsh (curl reads PEM keys, tsh
# writes OpenSSH's format, so the key is converted once). A web UI session would do, but a proxy apart from the auth
# service cannot start one yet (docs/performance.md, session 11).
resources_as_tsh() {
  tls_cert=$(find "$work/tsh" -name 'bench-x509.pem' | head -n 1)
  cp "${tls_cert%-x509.pem}" "$work/web.key"
  ssh-keygen -q -p -m PEM -N "" -P "" -f "$work/web.key" >/dev/null
  resources() { curl -ksf --cert "$tls_cert" --key "$work/web.key" "https://127.0.0.1:$web/v1/webapi/sites/$cluster/resources?kinds=node&$1" "${@:2}"; }
}

# list_all_pages EXPECTED [PAGE]: every page of PAGE (default 1000) with startKey; prints the milliseconds curl spent on
# them (summed: each page is a new TLS connection, as a cold tsh's first is); fails if they held fewer than EXPECTED.
list_all_pages() {
  local key="" total=0 count=0
  while :; do
    resources "limit=${2:-1000}&startKey=$key" -o "$work/page.json" -w '%{time_total}\n' > "$work/time"
    total=$(awk -v t="$total" '{ print t + $1 * 1000 }' "$work/time")
    count=$((count + $(jq '.items | length' "$work/page.json")))
    key=$(jq -r '.startKey // "" | @uri' "$work/page.json")
    [ -n "$key" ] || break
  done
  [ "$count" -ge "$1" ] || { echo "the pages held $count nodes, expected $1" >&2; exit 1; }
  echo "$total"
}

# first_page_ms RUNS: the web UI's first resources page (100), server time (first byte after the request) per run.
first_page_ms() {
  for _ in $(seq "$1"); do
    resources "limit=100" -o /dev/null -w '%{time_pretransfer} %{time_starttransfer}\n'
  done | awk '{ printf "%.2f\n", ($2 - $1) * 1000 }'
}
