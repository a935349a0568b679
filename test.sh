#!/usr/bin/env bash
# The test command: installs what the tests need (idempotent), builds the solution, runs every test project
# and ends with one line "N passed, N failed" counted from the TRX results.
set -uo pipefail
cd "$(dirname "$0")"

# Debian packages the tests drive as real peers and oracles.
packages=(openssh-client openssh-sftp-server openssl)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing packages: ${missing[*]} (run as root or install them)" >&2
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
configuration=${CONFIGURATION:-Release}
results=TestResults
rm -rf "$results"

if ! dotnet build Teleport.Orleans.sln -c "$configuration" -nologo -v q; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/*.Tests; do
  name=$(basename "$project")
  dotnet test "$project" -c "$configuration" --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

# Each TRX file has one <Counters ... passed="N" failed="N" .../> element.
count() { grep -ho "<Counters [^>]*" "$results"/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{ s += $1 } END { print s + 0 }'; }
passed=$(count passed); passed=${passed:-0}
failed=$(count failed); failed=${failed:-0}
expected=$(ls -d tests/*.Tests | wc -l)
reported=$(ls "$results"/*.trx 2>/dev/null | wc -l)
# A test project that crashed writes no TRX: count it as a failure rather than lose it.
if [ "$reported" -lt "$expected" ]; then failed=$((failed + expected - reported)); status=1; fi
if [ "$passed" -eq 0 ]; then status=1; fi
echo "$passed passed, $failed failed"
exit $status
