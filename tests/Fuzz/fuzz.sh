#!/usr/bin/env bash
# Fuzzes the SSH library's parsers with AFL++ and SharpFuzz.
#
#   tests/Fuzz/fuzz.sh TARGET|all SECONDS
#
# TARGET is one of `dotnet SshFuzz.dll list` (packet kexinit userauth cert pubkey privkey); SECONDS is the fuzzing
# time per target. The seeds are tests/Fuzz/corpus/TARGET/ plus tests/Fuzz/crashes-fixed/TARGET/. Installs Debian's
# afl++ if it is missing (as root) and the sharpfuzz tool from .config/dotnet-tools.json, publishes the harness,
# instruments the SSH assembly, then runs afl-fuzz for each target. Prints one line of figures per target.
# Exits 1 if any target crashed (any exception other than the parser's documented FormatException or protocol
# exception, or a broken round-trip); the crashing inputs are copied to tests/Fuzz/findings/TARGET/ with the
# exception printed. FUZZ_BUILD_LOCK=FILE runs the dotnet steps under `flock FILE` on a shared machine.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ $# -ne 2 ] || ! [[ $2 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 TARGET|all SECONDS" >&2
  exit 2
fi
target=$1
seconds=$2

if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "fuzz: afl-fuzz is missing; install Debian's afl++ package" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null || { echo "fuzz: could not install afl++" >&2; exit 1; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
lock=()
if [ -n "${FUZZ_BUILD_LOCK:-}" ]; then lock=(flock "$FUZZ_BUILD_LOCK"); fi
work=$(mktemp -d)
afl_pid=""
cleanup() {
  if [ -n "$afl_pid" ]; then kill "$afl_pid" 2>/dev/null; wait "$afl_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

out=$work/out
if ! "${lock[@]}" dotnet tool restore >"$work/restore.log" 2>&1; then cat "$work/restore.log"; echo "fuzz: dotnet tool restore failed" >&2; exit 1; fi
if ! "${lock[@]}" dotnet publish tests/Fuzz/SshFuzz/SshFuzz.csproj -c Release -o "$out" -nologo -v q >"$work/publish.log" 2>&1; then
  cat "$work/publish.log"; echo "fuzz: publishing the harness failed" >&2; exit 1
fi
# Only the library under test is instrumented: the harness and BouncyCastle stay as they are. Instrumented code
# only runs under afl-fuzz, so crashes are replayed with an uninstrumented copy.
cp -r "$out" "$work/plain"
if ! dotnet tool run sharpfuzz "$out/Teleport.Orleans.Ssh.dll" >"$work/instrument.log" 2>&1; then
  cat "$work/instrument.log"; echo "fuzz: sharpfuzz instrumentation failed" >&2; exit 1
fi

harness=(dotnet "$out/SshFuzz.dll")
plain=(dotnet "$work/plain/SshFuzz.dll")
if [ "$target" = all ]; then
  mapfile -t targets < <("${harness[@]}" list)
elif "${harness[@]}" list | grep -qx "$target"; then
  targets=("$target")
else
  echo "fuzz: unknown target '$target'; targets: $("${harness[@]}" list | tr '\n' ' ')" >&2
  exit 2
fi

stat_of() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$2"; }

failed=()
for t in "${targets[@]}"; do
  seeds=$work/seeds/$t
  findings=$work/findings/$t
  mkdir -p "$seeds" "$work/findings"
  cp tests/Fuzz/corpus/"$t"/* "$seeds"/ 2>/dev/null
  if [ -d tests/Fuzz/crashes-fixed/"$t" ]; then
    for f in tests/Fuzz/crashes-fixed/"$t"/*; do [ -f "$f" ] && cp "$f" "$seeds/fixed-$(basename "$f")"; done
  fi
  if [ -z "$(ls -A "$seeds")" ]; then echo "fuzz $t: no seeds in tests/Fuzz/corpus/$t" >&2; failed+=("$t"); continue; fi

  AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 \
    AFL_FAST_CAL=1 AFL_SKIP_CRASHES=0 \
    afl-fuzz -s 1 -i "$seeds" -o "$findings" -t 5000 -m none -V "$seconds" -- "${harness[@]}" fuzz "$t" >"$work/$t.log" 2>&1 &
  afl_pid=$!
  wait "$afl_pid"
  status=$?
  afl_pid=""
  stats=$findings/default/fuzzer_stats
  if [ $status -ne 0 ] || [ ! -f "$stats" ]; then
    tail -n 30 "$work/$t.log"
    echo "fuzz $t: FAILED: afl-fuzz exited with $status (a seed that crashes or hangs stops it before fuzzing)"
    failed+=("$t")
    continue
  fi

  crashes=$(stat_of saved_crashes "$stats")
  printf 'fuzz %-8s %4ss  %10s execs  %6s execs/s  %5s paths  %s crashes  %s hangs\n' "$t" \
    "$(stat_of run_time "$stats")" "$(stat_of execs_done "$stats")" "$(stat_of execs_per_sec "$stats")" \
    "$(stat_of corpus_count "$stats")" "$crashes" "$(stat_of saved_hangs "$stats")"
  if [ "${crashes:-0}" != 0 ]; then
    kept=tests/Fuzz/findings/$t
    mkdir -p "$kept"
    cp "$findings"/default/crashes/id:* "$kept"/
    echo "fuzz $t: FAILED: $crashes crashing inputs, copied to $kept/; replaying them:"
    "${plain[@]}" replay "$t" "$findings"/default/crashes/id:* 2>&1 | head -n 60
    failed+=("$t")
  fi
done

if ((${#failed[@]})); then
  echo "fuzz: FAILED targets: ${failed[*]}"
  exit 1
fi
echo "fuzz: no crashes in ${targets[*]}"
