# Functions of ha.sh (sourced). Layout of a cluster directory:
#   DIR/run/NAME.sh     the command of process NAME (exec'd, so its pid is the process's own)
#   DIR/pids/NAME.pid   its pid while it runs        DIR/logs/NAME.log   its output
#   DIR/ready/NAME      a command that succeeds once NAME is ready
#   DIR/NAME/           its configuration and data   DIR/env             addresses for clients and scripts

teleport_dll="${TELEPORT_DLL:-$repo/cli/teleport/bin/Debug/net10.0/teleport.dll}"
# tctl beside it: cli/tctl/bin/<configuration>/net10.0/tctl.dll.
tctl_dll="${teleport_dll%/teleport.dll}/tctl.dll"
tctl_dll="${TCTL_DLL:-${tctl_dll/cli\/teleport\/bin/cli\/tctl\/bin}}"
ha_token="ha-local-join-token-$(date +%s%N | sha256sum | cut -c1-16)"
azurite_account=devstoreaccount1
azurite_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

# N free loopback ports, one per line, reserved for this cluster. A port is chosen now and bound later by the
# process it is written for, so it must not be handed to anyone else meanwhile: ports come from outside the
# kernel's ephemeral range and outside the tests' FreePorts range (a process binding port 0, or any outgoing connection, gets one from inside it, as the
# tests' free ports do), are free when chosen, and are claimed in a shared file under a lock, so two ha.sh up
# running at once never choose the same port (claims expire after a day).
ha_ports_claims="${HA_PORTS_CLAIMS:-${TMPDIR:-/tmp}/teleport-ha-ports.claims}"
ha_ports() {
  python3 - "$1" "$ha_ports_claims" <<'PY'
import fcntl, os, random, socket, sys, time
count, claims = int(sys.argv[1]), sys.argv[2]
low, high = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
# 10000-15999 when the ephemeral range starts above it (the default 32768): the test suite's FreePorts hands out
# 16000-28999 to the servers other tests start meanwhile. Otherwise the larger span outside the ephemeral range.
if low > 16000:
    first, last = 10000, 15999
else:
    below, above = (1024, low - 1), (high + 1, 65535)
    first, last = max(below, above, key=lambda r: r[1] - r[0])
with open(claims, "a+") as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    f.seek(0)
    now = time.time()
    held = {}
    for line in f:
        parts = line.split()
        if len(parts) == 2 and now - float(parts[1]) < 86400:
            held[int(parts[0])] = float(parts[1])
    chosen = []
    for _ in range(20000):
        if len(chosen) == count:
            break
        port = random.randint(first, last)
        if port in held or port in chosen:
            continue
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            s.close()
        chosen.append(port)
    if len(chosen) < count:
        sys.exit(f"ERROR: no {count} free ports between {first} and {last}")
    for port in chosen:
        held[port] = now
    f.seek(0)
    f.truncate()
    f.writelines(f"{p} {t:.0f}\n" for p, t in held.items())
print("\n".join(map(str, chosen)))
PY
}

ha_start() {
  local dir="$1" name="$2"
  [ -f "$dir/run/$name.sh" ] || { echo "ERROR: no process $name in $dir" >&2; return 1; }
  # A process of its own session: a terminal's Ctrl-C does not reach it, ha.sh down does.
  setsid bash "$dir/run/$name.sh" >>"$dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/pids/$name.pid"
}

ha_alive() {
  local pid
  pid="$(cat "$1/pids/$2.pid" 2>/dev/null)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

ha_tctl() {
  local dir="$1"
  shift
  dotnet "$tctl_dll" --config "$dir/silo1/teleport.yaml" "$@"
}

ha_wait_ready() {
  local dir="$1" name="$2" limit="$3" started=$SECONDS
  while ! bash "$dir/ready/$name" >/dev/null 2>&1; do
    if ! ha_alive "$dir" "$name"; then
      echo "ERROR: $name exited before it was ready; the end of $dir/logs/$name.log:" >&2
      tail -n 30 "$dir/logs/$name.log" >&2
      return 1
    fi
    if ((SECONDS - started > limit)); then
      echo "ERROR: $name was not ready within ${limit}s; the end of $dir/logs/$name.log:" >&2
      tail -n 30 "$dir/logs/$name.log" >&2
      return 1
    fi
    sleep 0.2
  done
}

# Starts NAME and waits until it is ready; as a supervisor would, starts it again (up to 3 times) when it exits
# first: on a starved machine a starting auth server can miss its peers' probes and be declared dead.
ha_start_ready() {
  local dir="$1" name="$2" limit="$3" attempt
  for attempt in 1 2 3; do
    ha_alive "$dir" "$name" || ha_start "$dir" "$name"
    if ha_wait_ready "$dir" "$name" "$limit"; then return 0; fi
    ha_alive "$dir" "$name" && return 1
    echo "$name exited while starting (attempt $attempt); starting it again" >&2
  done
  return 1
}

# Writes the run script of NAME: environment lines, then the command.
ha_define() {
  local dir="$1" name="$2" ready="$3"
  shift 3
  {
    echo "#!/usr/bin/env bash"
    echo "# $name of the cluster in $dir (written by ha.sh up)"
    printf '%s\n' "$@"
  } >"$dir/run/$name.sh"
  echo "$ready" >"$dir/ready/$name"
}

# PostgreSQL runs under runuser: the pid to stop is the postmaster's own, not the wrapper's.
ha_backend_pid() {
  if [ -f "$1/backend/data/postmaster.pid" ]; then
    head -n 1 "$1/backend/data/postmaster.pid" >"$1/pids/backend.pid"
  fi
}

ha_backend() {
  local dir="$1" backend="$2" port
  port="$(ha_ports 2 | paste -sd' ')"
  local client="${port% *}" peer="${port#* }"
  mkdir -p "$dir/backend"
  case "$backend" in
    postgresql)
      local bin user
      bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
      [ -x "$bin/initdb" ] || { echo "ERROR: PostgreSQL not found: install the Debian package postgresql" >&2; return 1; }
      local run=()
      if [ "$(id -u)" = 0 ]; then
        user="$(id -u teleport-test >/dev/null 2>&1 && echo teleport-test || echo postgres)"
        chown -R "$user" "$dir/backend"
        # The server's user must reach DIR (a mktemp directory is 0700).
        chmod o+x "$dir"
        run=(runuser -u "$user" --)
      fi
      if ! "${run[@]}" "$bin/initdb" -D "$dir/backend/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$dir/logs/backend-init.log" 2>&1; then
        echo "ERROR: initdb failed; $dir/logs/backend-init.log says:" >&2
        tail -n 5 "$dir/logs/backend-init.log" >&2
        return 1
      fi
      ha_define "$dir" backend "'$bin/pg_isready' -q -h 127.0.0.1 -p $client" \
        "exec ${run[*]} '$bin/postgres' -D '$dir/backend/data' -k '$dir/backend' -h 127.0.0.1 -p $client -c max_connections=300 -c fsync=off -c synchronous_commit=off"
      storage="  storage:
    type: postgresql
    conn_string: postgresql://postgres@127.0.0.1:$client/postgres"
      ;;
    etcd)
      [ -x /usr/bin/etcd ] || { echo "ERROR: etcd not found: install the Debian package etcd-server" >&2; return 1; }
      ha_define "$dir" backend "curl -fsS http://127.0.0.1:$client/health" \
        "exec /usr/bin/etcd --name ha --data-dir '$dir/backend/data' --listen-client-urls http://127.0.0.1:$client --advertise-client-urls http://127.0.0.1:$client --listen-peer-urls http://127.0.0.1:$peer --initial-advertise-peer-urls http://127.0.0.1:$peer --initial-cluster ha=http://127.0.0.1:$peer --log-level warn"
      storage="  storage:
    type: etcd
    peers: [http://127.0.0.1:$client]
    prefix: /teleport-ha"
      ;;
    dynamodb)
      local npm="$repo/tests/TestServers/npm/node_modules"
      [ -f "$npm/dynalite/cli.js" ] || { echo "ERROR: dynalite not found: run npm install --prefix tests/TestServers/npm" >&2; return 1; }
      ha_define "$dir" backend "bash -c 'exec 3<>/dev/tcp/127.0.0.1/$client'" \
        "exec node '$npm/dynalite/cli.js' --host 127.0.0.1 --port $client --path '$dir/backend/data' --createTableMs 0 --deleteTableMs 0"
      storage="  storage:
    type: dynamodb
    region: us-east-1
    table_name: teleport_ha
    endpoint: http://127.0.0.1:$client"
      ;;
    azure)
      local npm="$repo/tests/TestServers/npm/node_modules" blob table
      [ -f "$npm/azurite/dist/src/azurite.js" ] || { echo "ERROR: Azurite not found: run npm install --prefix tests/TestServers/npm" >&2; return 1; }
      read -r blob table queue < <(ha_ports 3 | paste -sd' ')
      ha_define "$dir" backend "bash -c 'exec 3<>/dev/tcp/127.0.0.1/$table'" \
        "exec node '$npm/azurite/dist/src/azurite.js' --blobHost 127.0.0.1 --blobPort $blob --queueHost 127.0.0.1 --queuePort $queue --tableHost 127.0.0.1 --tablePort $table --location '$dir/backend/data' --silent --disableTelemetry --skipApiVersionCheck --loose"
      storage="  storage:
    type: azure
    conn_string: \"DefaultEndpointsProtocol=http;AccountName=$azurite_account;AccountKey=$azurite_key;BlobEndpoint=http://127.0.0.1:$blob/$azurite_account;QueueEndpoint=http://127.0.0.1:$queue/$azurite_account;TableEndpoint=http://127.0.0.1:$table/$azurite_account;\""
      ;;
  esac
}

ha_silo() {
  local dir="$1" name="$2" auth diag silo gateway
  read -r auth diag silo gateway < <(ha_ports 4 | paste -sd' ')
  mkdir -p "$dir/$name"
  cat >"$dir/$name/teleport.yaml" <<EOF
version: v3
teleport:
  nodename: $name
  data_dir: $dir/$name/data
  diag_addr: 127.0.0.1:$diag
$storage
auth_service:
  enabled: true
  listen_addr: 127.0.0.1:$auth
  public_addr: 127.0.0.1:$lb_auth
  cluster_name: ha.local
  proxy_listener_mode: separate
  authentication:
    second_factor: "off"
proxy_service:
  enabled: false
ssh_service:
  enabled: false
EOF
  ha_define "$dir" "$name" "curl -fsS http://127.0.0.1:$diag/readyz" \
    "export TELEPORT_SILO_PORT=$silo TELEPORT_GATEWAY_PORT=$gateway AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true" \
    "exec dotnet '$teleport_dll' start --config '$dir/$name/teleport.yaml'"
  echo "    server $name 127.0.0.1:$auth port $diag" >>"$dir/haproxy/auth.cfg"
  echo "${name^^}_DIAG=127.0.0.1:$diag" >>"$dir/env.part"
}

ha_gateway() {
  local dir="$1" name="$2" web ssh tunnel peer diag
  read -r web ssh tunnel peer diag < <(ha_ports 5 | paste -sd' ')
  mkdir -p "$dir/$name"
  cat >"$dir/$name/teleport.yaml" <<EOF
version: v3
teleport:
  nodename: $name
  data_dir: $dir/$name/data
  diag_addr: 127.0.0.1:$diag
  auth_server: 127.0.0.1:$lb_auth
  auth_token: $ha_token-$name
  # Every load-test login comes from 127.0.0.1: Teleport's default (20 a minute per address) would refuse most.
  connection_limits:
    rates:
    - {period: 1m, average: 100000, burst: 100000}
auth_service:
  enabled: false
  proxy_listener_mode: separate
proxy_service:
  enabled: true
  web_listen_addr: 127.0.0.1:$web
  listen_addr: 127.0.0.1:$ssh
  tunnel_listen_addr: 127.0.0.1:$tunnel
  peer_listen_addr: 127.0.0.1:$peer
  public_addr: 127.0.0.1:$lb_web
  ssh_public_addr: 127.0.0.1:$lb_ssh
  tunnel_public_addr: 127.0.0.1:$lb_tunnel
  shutdown_grace_period: ${HA_SHUTDOWN_GRACE:-20s}
  drain_delay: ${HA_DRAIN_DELAY:-3s}
ssh_service:
  enabled: false
EOF
  ha_define "$dir" "$name" "curl -fsS http://127.0.0.1:$diag/readyz" \
    "exec dotnet '$teleport_dll' start --config '$dir/$name/teleport.yaml'"
  echo "    server $name 127.0.0.1:$web port $diag" >>"$dir/haproxy/web.cfg"
  echo "    server $name 127.0.0.1:$ssh port $diag" >>"$dir/haproxy/ssh.cfg"
  echo "    server $name 127.0.0.1:$tunnel port $diag" >>"$dir/haproxy/tunnel.cfg"
  echo "${name^^}_DIAG=127.0.0.1:$diag" >>"$dir/env.part"
  echo "${name^^}_SSH=127.0.0.1:$ssh" >>"$dir/env.part"
}

ha_node() {
  local dir="$1" name="$2" ssh diag
  read -r ssh diag < <(ha_ports 2 | paste -sd' ')
  mkdir -p "$dir/$name"
  cat >"$dir/$name/teleport.yaml" <<EOF
version: v3
teleport:
  nodename: $name
  data_dir: $dir/$name/data
  diag_addr: 127.0.0.1:$diag
  proxy_server: 127.0.0.1:$lb_web
  auth_token: $ha_token-$name
auth_service:
  enabled: false
proxy_service:
  enabled: false
ssh_service:
  enabled: true
  listen_addr: 127.0.0.1:$ssh
  labels:
    env: ha
EOF
  # --insecure: the proxies serve a self-signed web certificate on loopback; the cluster CA is still trusted on first use.
  ha_define "$dir" "$name" "curl -fsS http://127.0.0.1:$diag/readyz" \
    "exec dotnet '$teleport_dll' start --insecure --config '$dir/$name/teleport.yaml'"
  echo "${name^^}_DIAG=127.0.0.1:$diag" >>"$dir/env.part"
}

ha_haproxy() {
  local dir="$1" stats
  stats="$(ha_ports 1)"
  {
    echo "# Generated by ha.sh up: the servers behind deploy/haproxy/haproxy.cfg's frontends."
    printf 'backend teleport_proxy_web\n    balance roundrobin\n'
    cat "$dir/haproxy/web.cfg"
    printf '\nbackend teleport_proxy_ssh\n    balance leastconn\n'
    cat "$dir/haproxy/ssh.cfg"
    printf '\nbackend teleport_proxy_tunnel\n    balance leastconn\n    option httpchk GET /healthz\n    default-server on-marked-down shutdown-sessions\n'
    cat "$dir/haproxy/tunnel.cfg"
    printf '\nbackend teleport_auth_api\n    balance leastconn\n'
    cat "$dir/haproxy/auth.cfg"
    printf '\nfrontend stats\n    mode http\n    bind 127.0.0.1:%s\n    stats enable\n    stats uri /\n' "$stats"
  } >"$dir/haproxy/backends.cfg"
  ha_define "$dir" haproxy "curl -fsS 'http://127.0.0.1:$stats/;csv' | grep -q '^teleport_auth_api,.*,UP,'" \
    "export TELEPORT_LB_WEB=127.0.0.1:$lb_web TELEPORT_LB_SSH=127.0.0.1:$lb_ssh TELEPORT_LB_TUNNEL=127.0.0.1:$lb_tunnel TELEPORT_LB_AUTH=127.0.0.1:$lb_auth" \
    "exec haproxy -W -db -f '$repo/deploy/haproxy/haproxy.cfg' -f '$dir/haproxy/backends.cfg'"
  echo "HAPROXY_STATS=http://127.0.0.1:$stats/" >>"$dir/env.part"
}

ha_up() {
  local dir="$1" backend="$2" silos="$3" proxies="$4" i
  [ -f "$teleport_dll" ] || { echo "ERROR: $teleport_dll not found: build first (dotnet build Teleport.Orleans.sln -m:1)" >&2; return 1; }
  command -v haproxy >/dev/null || { echo "ERROR: haproxy not found: install the Debian package haproxy" >&2; return 1; }
  mkdir -p "$dir"/{run,pids,logs,ready,haproxy}
  rm -f "$dir"/haproxy/*.cfg "$dir/env.part"
  read -r lb_web lb_ssh lb_tunnel lb_auth < <(ha_ports 4 | paste -sd' ')
  storage=""
  ha_backend "$dir" "$backend"
  for ((i = 1; i <= silos; i++)); do ha_silo "$dir" "silo$i"; done
  for ((i = 1; i <= proxies; i++)); do ha_gateway "$dir" "gateway$i"; done
  ha_node "$dir" node1
  ha_haproxy "$dir"

  local started=$SECONDS
  ha_start "$dir" backend
  ha_wait_ready "$dir" backend 60
  ha_backend_pid "$dir"
  # The first silo creates the cluster alone; the others join it.
  ha_start "$dir" silo1
  ha_wait_ready "$dir" silo1 180
  # One join token per host (a token is spent when used); a restarted host keeps the identity it joined with.
  for ((i = 1; i <= proxies; i++)); do ha_tctl "$dir" tokens add --type=proxy --ttl=24h --value="$ha_token-gateway$i" >/dev/null; done
  ha_tctl "$dir" tokens add --type=node --ttl=24h --value="$ha_token-node1" >/dev/null
  for ((i = 2; i <= silos; i++)); do ha_start "$dir" "silo$i"; done
  ha_start "$dir" haproxy
  for ((i = 2; i <= silos; i++)); do ha_start_ready "$dir" "silo$i" 180; done
  ha_wait_ready "$dir" haproxy 30
  for ((i = 1; i <= proxies; i++)); do ha_start "$dir" "gateway$i"; done
  for ((i = 1; i <= proxies; i++)); do ha_start_ready "$dir" "gateway$i" 180; done
  # The node joins through the public load balancer: every proxy must count as up there first.
  local stats
  stats="$(grep '^HAPROXY_STATS=' "$dir/env.part" | cut -d= -f2-)"
  until [ "$(curl -fsS "${stats};csv" | grep -c '^teleport_proxy_web,gateway.*,UP,')" = "$proxies" ]; do
    ((SECONDS - started < 300)) || { echo "ERROR: haproxy does not see every proxy up" >&2; return 1; }
    sleep 0.2
  done
  ha_start "$dir" node1
  ha_wait_ready "$dir" node1 120

  {
    echo "WEB_ADDR=127.0.0.1:$lb_web"
    echo "SSH_ADDR=127.0.0.1:$lb_ssh"
    echo "TUNNEL_ADDR=127.0.0.1:$lb_tunnel"
    echo "AUTH_ADDR=127.0.0.1:$lb_auth"
    echo "TCTL_CONFIG=$dir/silo1/teleport.yaml"
    echo "BACKEND=$backend"
    echo "SILOS=$silos"
    echo "PROXIES=$proxies"
    cat "$dir/env.part"
  } >"$dir/env"
  rm -f "$dir/env.part"
  echo "HA cluster ($backend, $silos silos, $proxies proxies, node1) ready in $((SECONDS - started)) s; addresses in $dir/env"
}

# Stops one process by the pid in its file: SIGCONT (it may be stopped), SIGTERM, then SIGKILL after the limit.
# A pid whose command line does not name DIR is not ours (the process ended and the pid was reused): left alone.
ha_stop() {
  local dir="$1" name="$2" limit="${3:-60}" pid waited=0
  pid="$(cat "$dir/pids/$name.pid" 2>/dev/null)" || return 0
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$dir"; then
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((waited < limit * 5)); do
      sleep 0.2
      waited=$((waited + 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pids/$name.pid"
}

ha_down() {
  local dir="$1" name tier pids
  [ -d "$dir/pids" ] || return 0
  # Clients first, the backend last; each tier in parallel.
  for tier in 'node*' 'gateway*' 'haproxy' 'silo*' 'backend'; do
    pids=()
    for file in "$dir"/pids/$tier.pid; do
      [ -f "$file" ] || continue
      name="$(basename "$file" .pid)"
      ha_stop "$dir" "$name" &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || true; done
  done
  echo "HA cluster in $dir stopped"
}
