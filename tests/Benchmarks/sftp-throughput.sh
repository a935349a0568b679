#!/usr/bin/env bash
# Our SFTP client (ssh/Sftp, via tests/Benchmarks/SftpBenchmark) next to OpenSSH's sftp client, both talking to
# OpenSSH's sftp-server over pipes with no SSH underneath (`sftp -D`), so only the SFTP clients differ:
# download (get) and upload (put) of one SIZE-byte file, median of RUNS, in MiB/s, with the ratio ours/OpenSSH.
# Ours is timed inside the process from connect to close (the .NET start-up is left out); OpenSSH's sftp is timed
# whole, its start-up being a few milliseconds.
# Settings (environment): SIZE (bytes, default 268435456), RUNS (3), BUILD_LOCK=FILE (build under `flock FILE`).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/Benchmarks/lib.sh
size=${SIZE:-268435456}
runs=${RUNS:-3}
server=/usr/lib/openssh/sftp-server
[ -x "$server" ] && command -v sftp >/dev/null || { echo "install openssh-sftp-server and openssh-client first" >&2; exit 1; }

"${lock[@]}" dotnet build tests/Benchmarks/SftpBenchmark/SftpBenchmark.csproj -c Release -nologo -v q >/dev/null
ours=(dotnet tests/Benchmarks/SftpBenchmark/bin/Release/net10.0/SftpBenchmark.dll)

head -c "$size" /dev/urandom > "$work/source"

openssh_seconds() { # direction
  local start end
  if [ "$1" = get ]; then echo "get $work/source $work/out" > "$work/batch"; else echo "put $work/source $work/out" > "$work/batch"; fi
  start=$(date +%s.%N)
  sftp -q -D "$server" -b "$work/batch" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

for direction in get put; do
  o=$(for _ in $(seq "$runs"); do rm -f "$work/out"; "${ours[@]}" "$direction" "$work/source" "$work/out"; cmp -s "$work/source" "$work/out" || { echo "copy differs" >&2; exit 1; }; done | median)
  p=$(for _ in $(seq "$runs"); do rm -f "$work/out"; openssh_seconds "$direction"; done | median)
  awk -v size="$size" -v o="$o" -v p="$p" -v d="$direction" 'BEGIN {
    mib = size / 1048576
    printf "%s %d MiB: ours %.0f MiB/s, OpenSSH sftp %.0f MiB/s, ratio ours/OpenSSH %.2f\n", d, mib, mib / o, mib / p, p / o
  }'
done
