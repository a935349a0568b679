#!/usr/bin/env bash
# Runs the cluster: builds the binaries into ./bin (teleport, tctl, tsh) and starts the all-in-one default
# (auth service on the embedded SQLite backend). Extra arguments go to `teleport start`,
# e.g. ./start.sh --config teleport.yaml, or ./start.sh --data-dir ./data.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build cli/teleport/teleport.csproj -c Release -nologo -v q
dotnet build cli/tctl/tctl.csproj -c Release -nologo -v q
dotnet build cli/tsh/tsh.csproj -c Release -nologo -v q
mkdir -p bin
for tool in teleport tctl tsh; do
  printf '#!/bin/sh\nexec dotnet "%s/cli/%s/bin/Release/net10.0/%s.dll" "$@"\n' "$PWD" "$tool" "$tool" > "bin/$tool"
  chmod +x "bin/$tool"
done
if [ "$(id -u)" != 0 ] && [ "$#" = 0 ]; then
  # /var/lib/teleport needs root; a user's cluster lives beside the checkout instead.
  exec bin/teleport start --data-dir "$PWD/.data"
fi
exec bin/teleport start "$@"
