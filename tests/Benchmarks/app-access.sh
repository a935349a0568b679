#!/usr/bin/env bash
# App access overhead: the same tiny loopback app (200 "ok") reached directly and through the proxy at
# https://bench.<proxy host> with the client certificate from `tsh apps login` (HTTPS, mutual TLS, session and RBAC
# check, JWT header, YARP forwarding, one app.session.request audit event per request, written in batches). Keep-alive GETs from
# CONCURRENCY workers for SECONDS each way; prints requests/s, p50 and p99 latency and the ratios proxy/direct.
# Settings (environment): SECONDS_RUN (default 10), CONCURRENCY (default 16), CONFIGURATION (default Release), BUILD_LOCK=FILE. Run: tests/Benchmarks/app-access.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
seconds=${SECONDS_RUN:-10}
concurrency=${CONCURRENCY:-16}
configuration=${CONFIGURATION:-Release}

for project in cli/teleport/teleport.csproj cli/tctl/tctl.csproj cli/tsh/tsh.csproj tests/Benchmarks/AppAccessBenchmark/AppAccessBenchmark.csproj; do
  "${lock[@]}" dotnet build "$project" -c "$configuration" -nologo -v q >/dev/null
done
bench() { dotnet tests/Benchmarks/AppAccessBenchmark/bin/$configuration/net10.0/AppAccessBenchmark.dll "$@"; }
tctl() { dotnet cli/tctl/bin/$configuration/net10.0/tctl.dll --config "$work/teleport.yaml" "$@"; }
tsh() { TSH_HOME="$work/tsh" dotnet cli/tsh/bin/$configuration/net10.0/tsh.dll "$@"; }

app=$(free_port)
# Started without the bench function, so $! is the app's own process and the exit trap stops it.
dotnet "tests/Benchmarks/AppAccessBenchmark/bin/$configuration/net10.0/AppAccessBenchmark.dll" serve "$app" & pids+=($!)

web=$(free_port)
cat > "$work/teleport.yaml" <<YAML
version: v3
teleport:
  nodename: bench
  data_dir: $work/data
  diag_addr: 127.0.0.1:$(free_port)
auth_service:
  listen_addr: 127.0.0.1:$(free_port)
  proxy_listener_mode: separate
  authentication:
    type: local
    second_factor: "off"
proxy_service:
  web_listen_addr: 127.0.0.1:$web
  listen_addr: 127.0.0.1:$(free_port)
  tunnel_listen_addr: 127.0.0.1:$(free_port)
  public_addr: 127.0.0.1:$web
ssh_service:
  enabled: false
app_service:
  enabled: true
  apps:
  - name: bench
    uri: http://127.0.0.1:$app
YAML
: > "$work/teleport.log"
TELEPORT_SILO_PORT=$(free_port) TELEPORT_GATEWAY_PORT=$(free_port) \
  dotnet cli/teleport/bin/$configuration/net10.0/teleport.dll start --config "$work/teleport.yaml" > "$work/teleport.log" 2>&1 &
pids+=($!)
until grep -q "App service is running" "$work/teleport.log"; do kill -0 "${pids[-1]}" || { cat "$work/teleport.log"; exit 1; }; sleep 0.1; done

link=$(tctl users add bench --roles=access --logins=bench | grep -o 'https://[^ ]*/web/invite/[0-9a-f]*')
curl -ksf -X PUT "https://127.0.0.1:$web/v1/webapi/users/password/token" -H 'Content-Type: application/json' \
  -d "{\"token\":\"${link##*/}\",\"password\":\"bench password\"}" >/dev/null
echo "bench password" | tsh login --proxy="127.0.0.1:$web" --user=bench --insecure >/dev/null
tsh apps login bench >/dev/null
cert=$(tsh apps config bench --format=cert)
key=$(tsh apps config bench --format=key)

direct=$(bench load "http://127.0.0.1:$app/" "$seconds" "$concurrency")
proxied=$(bench load "https://bench.bench:$web/" "$seconds" "$concurrency" "$web" "$cert" "$key")
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<< "$2"; }
echo "direct:  $direct"
echo "proxied: $proxied"
echo "ratio proxied/direct: rps $(ratio "$(field rps "$proxied")" "$(field rps "$direct")"), p99 $(ratio "$(field p99_ms "$proxied")" "$(field p99_ms "$direct")")"
