#!/usr/bin/env bash
# Installs everything swarmkv needs on a fresh Debian machine of this kind and builds the packages.
# Idempotent: each step is skipped when its result is already there.
#   Debian packages: redis-server redis-tools (differential oracle, redis-cli, redis-benchmark),
#   nutcracker (router benchmark), docker.io (engine for the orchestrator), iproute2 iptables
#   openssl (multi-host lab, certificates).
#   pnpm 10 (npm -g; corepack's signature check fails on these machines), the workspace's packages,
#   and `tsc -b` of every package.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
[ -x /usr/sbin/nutcracker ] || command -v nutcracker >/dev/null || need+=(nutcracker)
command -v dockerd >/dev/null || need+=(docker.io)
command -v ip >/dev/null || need+=(iproute2)
command -v iptables >/dev/null || need+=(iptables)
command -v openssl >/dev/null || need+=(openssl)
command -v nsenter >/dev/null || need+=(util-linux)
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
fi

if ! command -v pnpm >/dev/null; then
  echo "setup: installing pnpm 10"
  npm install -g pnpm@10 >/dev/null 2>&1
fi

echo "setup: installing workspace packages"
pnpm install --frozen-lockfile --reporter=silent
echo "setup: building"
pnpm run -s build
echo "setup: done"
