#!/usr/bin/env bash
# The one command of the README: installs what is missing and builds (scripts/setup.sh), starts
# the local Docker Engine when it is installed but not running (scripts/docker/ensure-dockerd.sh),
# and brings the cluster up with `swarmkv up`. Where no engine can be had it says so and runs the
# same cluster as local processes (`swarmkv up --local`). Ends by printing the redis-cli command
# that reaches the router. Extra arguments go to `swarmkv up` (e.g. --port 7000, -f cluster.yml).
#   SWARMKV_LOCAL=1   skip Docker and run the processes directly
#   SWARMKV_SKIP_SETUP=1   do not run scripts/setup.sh (already done)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SWARMKV_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi

SWARMKV=(node packages/orchestrator/bin/swarmkv.js)
mode=docker
if [ "${SWARMKV_LOCAL:-0}" = 1 ]; then
  mode=local
elif ! bash scripts/docker/ensure-dockerd.sh >/dev/null; then
  echo "start: no Docker Engine can be had here (see above); running the cluster as local processes instead" >&2
  mode=local
fi

if [ "$mode" = docker ]; then
  "${SWARMKV[@]}" up "$@"
else
  "${SWARMKV[@]}" up --local "$@"
fi
