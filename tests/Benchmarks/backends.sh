#!/usr/bin/env bash
# Per cluster-state backend, on its real server started on loopback (SQLite file, PostgreSQL, etcd, dynalite,
# Azurite, Google's Firestore emulator): grain writes per second with p50/p99 latency (16 grains written
# concurrently, ETag-conditional 1 KB writes) and audit events per second (batches of 100). BACKENDS picks some;
# WRITERS, WRITES, EVENTS size the runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
backends=${BACKENDS:-sqlite postgresql etcd dynamodb azure firestore}
if [ ! -d tests/TestServers/npm/node_modules ]; then
  npm install --prefix tests/TestServers/npm --no-audit --no-fund --loglevel=error
fi
dotnet build tests/Benchmarks/BackendBenchmark -c Release -nologo -v q >/dev/null
for backend in $backends; do
  dotnet tests/Benchmarks/BackendBenchmark/bin/Release/net10.0/BackendBenchmark.dll "$backend" "${WRITERS:-16}" "${WRITES:-200}" "${EVENTS:-20000}"
done
