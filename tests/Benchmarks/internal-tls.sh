#!/usr/bin/env bash
# What mutual TLS on the Orleans connections costs a proxy: the same auth process + proxy-only process pair on etcd,
# built from BEFORE (default: the last commit with plaintext Orleans) and from this tree, measured in the same run:
#   1. grain-call latency through the proxy: REQUESTS sequential GET /webapi/ping on one kept-alive HTTPS connection
#      (each is one IClusterGrain call from the proxy's Orleans client to the silo), median and p99 in ms;
#   2. certificates signed per second through the proxy: LOGINS POST /v1/webapi/ssh/certs (password only, second
#      factor off), CONCURRENCY at a time; each is a user-grain authentication (bcrypt) plus an issuer-grain signing.
#   3. the proxy-only process's footprint after the runs and 20 s idle: RSS and the assemblies it has mapped.
# Prints one table with the ratio after/before. Every process is stopped by PID; temporary trees are removed.
# Settings (environment): BEFORE (git ref, default 331d3a0), REQUESTS (1000), LOGINS (200), CONCURRENCY (4), ROUNDS (3):
# both clusters run side by side and the rounds alternate; latency percentiles are over all rounds, the rate is the
# median round's.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
before_ref=${BEFORE:-331d3a0}
requests=${REQUESTS:-1000}
logins=${LOGINS:-200}
concurrency=${CONCURRENCY:-4}
rounds=${ROUNDS:-3}

percentile() { sort -n | awk -v p="$1" '{ a[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; printf "%.2f", a[i] }'; }

build() { # source-dir
  dotnet build "$1/cli/teleport/teleport.csproj" -c Release -nologo -v q >/dev/null
  dotnet build "$1/cli/tctl/tctl.csproj" -c Release -nologo -v q >/dev/null
}
git worktree add -q --detach "$work/before-src" "$before_ref"
build "$work/before-src"
build .

start_cluster() { # name source-dir [limits]: etcd, an auth process and a proxy-only process; the web port in DIR/web
  local name=$1 src=$2 limits=${3:-} dir="$work/$1"
  mkdir -p "$dir"
  local etcd_client etcd_peer auth web
  etcd_client=$(free_port); etcd_peer=$(free_port); auth=$(free_port); web=$(free_port)
  etcd --name "$name" --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$etcd_client" \
    --advertise-client-urls "http://127.0.0.1:$etcd_client" --listen-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" --initial-cluster "$name=http://127.0.0.1:$etcd_peer" \
    > "$dir/etcd.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$etcd_client/health" >/dev/null; do sleep 0.1; done
  local storage="  storage:
    type: etcd
    peers: [http://127.0.0.1:$etcd_client]
    prefix: /bench"
  cat > "$dir/auth.yaml" <<YAML
version: v3
teleport:
  nodename: auth
  data_dir: $dir/auth
  diag_addr: 127.0.0.1:$(free_port)
$storage
auth_service:
  cluster_name: bench.example.com
  listen_addr: 127.0.0.1:$auth
  authentication:
    type: local
    second_factor: "off"
proxy_service:
  enabled: false
ssh_service:
  enabled: false
YAML
  : > "$dir/auth.log"; : > "$dir/proxy.log"
  TELEPORT_SILO_PORT=$(free_port) TELEPORT_GATEWAY_PORT=$(free_port) \
    dotnet "$src/cli/teleport/bin/Release/net10.0/teleport.dll" start --config "$dir/auth.yaml" > "$dir/auth.log" 2>&1 &
  pids+=($!)
  local auth_pid=$!
  until grep -q "Auth service is running" "$dir/auth.log"; do kill -0 "$auth_pid" || { cat "$dir/auth.log" >&2; exit 1; }; sleep 0.1; done
  local tctl=(dotnet "$src/cli/tctl/bin/Release/net10.0/tctl.dll" --config "$dir/auth.yaml")
  "${tctl[@]}" tokens add --type=proxy --value=bench-proxy-token >/dev/null
  cat > "$dir/proxy.yaml" <<YAML
version: v3
teleport:
  nodename: proxy
  data_dir: $dir/proxy
  diag_addr: 127.0.0.1:$(free_port)
  auth_server: 127.0.0.1:$auth
  auth_token: bench-proxy-token
$limits
$storage
auth_service:
  enabled: false
ssh_service:
  enabled: false
proxy_service:
  enabled: true
  web_listen_addr: 127.0.0.1:$web
  listen_addr: 127.0.0.1:$(free_port)
  tunnel_listen_addr: 127.0.0.1:$(free_port)
  peer_listen_addr: 127.0.0.1:$(free_port)
YAML
  dotnet "$src/cli/teleport/bin/Release/net10.0/teleport.dll" start --config "$dir/proxy.yaml" > "$dir/proxy.log" 2>&1 &
  pids+=($!)
  local proxy_pid=$!
  echo "$proxy_pid" > "$dir/proxy.pid"
  until grep -q "Proxy service is running" "$dir/proxy.log"; do kill -0 "$proxy_pid" || { cat "$dir/proxy.log" >&2; exit 1; }; sleep 0.1; done

  local link
  link=$("${tctl[@]}" users add bench --roles=access --logins=root | grep -o '/web/invite/[0-9a-f]*')
  curl -ksf -X PUT "https://127.0.0.1:$web/v1/webapi/users/password/token" -H 'Content-Type: application/json' \
    -d "{\"token\":\"${link##*/}\",\"password\":\"bench password\"}" >/dev/null

  echo "$web" > "$dir/web"
  ssh-keygen -q -t ed25519 -N '' -f "$dir/key"
  printf '{"user":"bench","password":"bench password","pub_key":"%s","ttl":3600}' "$(cat "$dir/key.pub")" > "$dir/login.json"
}

login() { curl -ksf -o /dev/null -X POST "https://127.0.0.1:$1/v1/webapi/ssh/certs" -H 'Content-Type: application/json' --data @"$2"; }
export -f login

measure_round() { # name: appends this round's ping times to DIR/ping.ms and its login rate to DIR/rate
  local dir="$work/$1" web
  web=$(cat "$dir/web")
  # One kept-alive HTTPS connection: each timed request is the HTTP exchange plus one grain call from the proxy.
  python3 - "$web" "$requests" >> "$dir/ping.ms" <<'PY'
import http.client, ssl, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
connection = http.client.HTTPSConnection("127.0.0.1", port, context=ssl._create_unverified_context())
def ping():
    connection.request("GET", "/webapi/ping")
    response = connection.getresponse()
    response.read()
    assert response.status == 200, response.status
for _ in range(50):
    ping()
for _ in range(count):
    start = time.perf_counter()
    ping()
    print(f"{(time.perf_counter() - start) * 1000:.3f}")
PY
  seq 20 | xargs -P "$concurrency" -I{} bash -c "login $web $dir/login.json"
  local start end
  start=$(date +%s%N)
  seq "$logins" | xargs -P "$concurrency" -I{} bash -c "login $web $dir/login.json"
  end=$(date +%s%N)
  awk -v n="$logins" -v ns=$((end - start)) 'BEGIN { printf "%.1f\n", n / (ns / 1e9) }' >> "$dir/rate"
}

# Both clusters stay up; the rounds alternate between them so that a busy machine weighs on both alike.
start_cluster before "$work/before-src"
# This tree limits logins per address and user (Teleport's 20 a minute by default); the benchmark lifts it.
start_cluster after "$PWD" "  connection_limits:
    rates:
    - {period: 1s, average: 100000, burst: 100000}"
for _ in $(seq "$rounds"); do
  measure_round before
  measure_round after
done
footprint() { # name -> "RSS-MiB managed-assemblies" of the idle proxy-only process, after a quiet pause
  local pid
  pid=$(cat "$work/$1/proxy.pid")
  echo "$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status") $(grep -o '[^/]*\.dll$' "/proc/$pid/maps" | sort -u | wc -l)"
}
sleep 20
read -r b_rss b_dlls < <(footprint before)
read -r a_rss a_dlls < <(footprint after)
b_med=$(percentile 50 < "$work/before/ping.ms"); b_p99=$(percentile 99 < "$work/before/ping.ms"); b_rate=$(percentile 50 < "$work/before/rate")
a_med=$(percentile 50 < "$work/after/ping.ms"); a_p99=$(percentile 99 < "$work/after/ping.ms"); a_rate=$(percentile 50 < "$work/after/rate")
printf '| measure | plaintext Orleans (%s) | mutual TLS 1.3 (this tree) | ratio |\n|---|---|---|---|\n' "$before_ref"
printf '| grain call through the proxy, median (ms) | %s | %s | %s |\n' "$b_med" "$a_med" "$(ratio "$a_med" "$b_med")"
printf '| grain call through the proxy, p99 (ms) | %s | %s | %s |\n' "$b_p99" "$a_p99" "$(ratio "$a_p99" "$b_p99")"
printf '| certificates signed per second through the proxy (median round) | %s | %s | %s |\n' "$b_rate" "$a_rate" "$(ratio "$a_rate" "$b_rate")"
printf '| proxy-only process RSS after the run and 20 s idle (MiB) | %s | %s | %s |\n' "$b_rss" "$a_rss" "$(ratio "$a_rss" "$b_rss")"
printf '| assemblies (.dll) mapped by the proxy-only process | %s | %s | %s |\n' "$b_dlls" "$a_dlls" "$(ratio "$a_dlls" "$b_dlls")"
