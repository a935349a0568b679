#!/usr/bin/env bash
# The failover measurement: starts the HA topology (deploy/local/ha.sh) on the given backend, runs the load
# (tests/Failover/FailoverLoad) while injecting each fault in turn, prints the figures and stops the cluster.
#   tests/Failover/run.sh [postgresql|etcd|dynamodb|azure] [FAULTS]     FAULTS: all (default) or kill-silo,stop-silo,...
# Faults: kill-silo, stop-silo (SIGSTOP 60 s), kill-proxy, stop-backend (30 s), stop-proxy (SIGSTOP 60 s),
# restart-haproxy, reload-haproxy (SIGUSR2: a seamless reload), rolling-restart (every silo, then every proxy, SIGTERM and start). Takes about 10 minutes.
# The report is also written to DIR/failover-report.txt (DIR is printed; kept for the logs).
set -euo pipefail
cd "$(dirname "$0")/../.."
backend="${1:-postgresql}"
faults="${2:-all}"
dotnet build tests/Failover/FailoverLoad -m:1 -nologo -v q >/dev/null
dotnet build cli/teleport/teleport.csproj -m:1 -nologo -v q >/dev/null
dotnet build cli/tctl/tctl.csproj -m:1 -nologo -v q >/dev/null
dir="$(mktemp -d /tmp/teleport-failover-XXXXXX)"
trap 'deploy/local/ha.sh down --dir "$dir"' EXIT
deploy/local/ha.sh up --backend "$backend" --dir "$dir"
dotnet tests/Failover/FailoverLoad/bin/Debug/net10.0/FailoverLoad.dll --dir "$dir" --ha "$PWD/deploy/local/ha.sh" --faults "$faults"
echo "logs and report: $dir"
