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

build_bench cli/tsh/tsh.csproj tests/Benchmarks/AppAccessBenchmark/AppAccessBenchmark.csproj
bench() { dotnet tests/Benchmarks/AppAccessBenchmark/bin/$configuration/net10.0/AppAccessBenchmark.dll "$@"; }
tsh() { TSH_HOME="$work/tsh" dotnet cli/tsh/bin/$configuration/net10.0/tsh.dll "$@"; }

app=$(free_port)
# Started without the bench function, so $! is the app's own process and the exit trap stops it.
dotnet "tests/Benchmarks/AppAccessBenchmark/bin/$configuration/net10.0/AppAccessBenchmark.dll" serve "$app" & pids+=($!)

READY="App service is running" start_cluster "$(printf 'app_service:\n  enabled: true\n  apps:\n  - name: bench\n    uri: http://127.0.0.1:%s' "$app")"
add_bench_user bench
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
