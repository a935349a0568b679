#!/usr/bin/env bash
# Certificates signed per second through the gRPC auth API, next to the one-core signing limit of
# `openssl speed ed25519` and `ecdsap256` measured in the same run. The user CA is Ed25519 and the X.509 CA is
# ECDSA P-256, so a login's SSH + X.509 pair costs one signature of each.
# DURATION (s, default 10) and CONCURRENCY (default 16) tune the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
duration=${DURATION:-10}
concurrency=${CONCURRENCY:-16}
dotnet build cli/teleport/teleport.csproj -c Release -nologo -v q >/dev/null
dotnet build cli/tctl/tctl.csproj -c Release -nologo -v q >/dev/null
dotnet build tests/Benchmarks/SigningBenchmark/SigningBenchmark.csproj -c Release -nologo -v q >/dev/null

start_auth cli/teleport/bin/Release/net10.0/teleport.dll
dotnet cli/tctl/bin/Release/net10.0/tctl.dll --config "$work/teleport.yaml" users add bench --roles=access --logins=root >/dev/null

bench() {
  dotnet tests/Benchmarks/SigningBenchmark/bin/Release/net10.0/SigningBenchmark.dll \
    --auth-server "127.0.0.1:$auth" -i "$work/data/admin.identity" --user bench \
    --duration "$duration" --concurrency "$concurrency" "$@" | awk '/^certs\/s:/ { print $2 }'
}
ssh_only=$(bench --no-tls)
ssh_and_tls=$(bench)

speed() { openssl speed -seconds 5 "$1" 2>/dev/null | awk -v pat="$2" '$0 ~ pat { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/) v[++n] = $i; print v[n - 1]; exit }'; }
ed25519=$(speed ed25519 "Ed25519")
p256=$(speed ecdsap256 "nistp256")
# One SSH + X.509 pair needs an Ed25519 and a P-256 signature: the one-core limit is the harmonic combination.
pair_limit=$(awk -v a="$ed25519" -v b="$p256" 'BEGIN { printf "%.0f", 1 / (1 / a + 1 / b) }')

echo "openssl speed ed25519 (one core):   $ed25519 signs/s"
echo "openssl speed ecdsap256 (one core): $p256 signs/s"
echo "SSH user certs via gRPC ($concurrency concurrent): $ssh_only certs/s   ratio to one-core ed25519: $(awk -v a="$ssh_only" -v b="$ed25519" 'BEGIN { printf "%.3f", a / b }')"
echo "SSH + X.509 pairs via gRPC:                 $ssh_and_tls pairs/s   ratio to one-core pair limit ($pair_limit/s): $(awk -v a="$ssh_and_tls" -v b="$pair_limit" 'BEGIN { printf "%.3f", a / b }')"
