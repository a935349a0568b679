#!/usr/bin/env bash
# The test command: installs what the tests need (idempotent), builds the solution, runs every test project
# and ends with one line "N passed, N failed" counted from the TRX results.
set -uo pipefail
cd "$(dirname "$0")"

# Nothing here reads standard input. With descriptor 0 closed (a runner with none), protoc's plugin cannot read its
# request and a clean build fails ("protoc sent unparseable request to plugin"): /dev/null instead, always.
exec </dev/null

# Debian packages the tests drive as real peers and oracles (OpenSSH client, sshd, sftp-server), the backends'
# test servers (postgresql, etcd-server), ha.sh's load balancer (haproxy), the ACME test server (pebble, with
# pebble-challtestsrv), the fuzzer (afl++) and the browser the web UI tests drive (chromium; nodejs also builds the
# web UI). One per line,
# so branches add without conflict.
packages=(
  afl++
  chromium
  etcd-server
  haproxy
  nodejs
  openssh-client
  openssh-server
  openssh-sftp-server
  openssl
  pebble
  postgresql
  tmux
)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing packages: ${missing[*]} (run as root or install them)" >&2
  fi
fi
# sshd (run by the SSH client tests) needs its privilege separation directory.
if [ "$(id -u)" = 0 ]; then mkdir -p /run/sshd; fi

# The backends' npm test servers (dynalite, Azurite, s3rver), pinned in tests/TestServers/npm/package.json: installed
# when node_modules is missing or older than the pins.
npm_dir=tests/TestServers/npm
if [ ! -f "$npm_dir/node_modules/.package-lock.json" ] || [ "$npm_dir/package.json" -nt "$npm_dir/node_modules/.package-lock.json" ] \
  || [ "$npm_dir/package-lock.json" -nt "$npm_dir/node_modules/.package-lock.json" ]; then
  npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error || echo "npm install in $npm_dir failed: the DynamoDB, Azure and S3 tests will fail" >&2
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
    --blame-hang-timeout 10m --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

# A short AFL++ run over the SSH parsers (tests/Fuzz/fuzz.sh, FUZZ_SECONDS per target, 0 skips): a crash fails the run.
fuzz_failed=0
if [ "${FUZZ_SECONDS:-20}" != 0 ] && ! tests/Fuzz/fuzz.sh all "${FUZZ_SECONDS:-20}"; then
  echo "fuzzing failed: see the 'fuzz' lines above for the target"
  fuzz_failed=1
  status=1
fi

# Each TRX file has one <Counters ... passed="N" failed="N" .../> element.
count() { grep -ho "<Counters [^>]*" "$results"/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{ s += $1 } END { print s + 0 }'; }
passed=$(count passed); passed=${passed:-0}
failed=$(count failed); failed=$((${failed:-0} + fuzz_failed))
expected=$(ls -d tests/*.Tests | wc -l)
reported=$(ls "$results"/*.trx 2>/dev/null | wc -l)
# A test project that crashed writes no TRX: count it as a failure rather than lose it.
if [ "$reported" -lt "$expected" ]; then failed=$((failed + expected - reported)); status=1; fi
if [ "$passed" -eq 0 ]; then status=1; fi
echo "$passed passed, $failed failed"
exit $status
