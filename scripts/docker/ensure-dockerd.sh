#!/usr/bin/env bash
# Makes sure a Docker Engine answers on the local socket, for `swarmkv up` and the e2e tests.
# Machines of this kind have no systemd: when dockerd is missing it is installed from Debian
# (docker.io, Engine API 1.41), and when it is not running it is started in the background with a
# log file. DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 stops swarm from trying to pull the image at every
# task start: no registry is reachable here, and swarmkv puts its image into each engine itself.
# Prints the dockerd PID when it started one. Exit 0 when the engine answers, 1 when it cannot be had.
#   SWARMKV_DOCKER_SOCK  socket to wait for (default /var/run/docker.sock)
#   SWARMKV_DOCKERD_LOG  log file of a dockerd started here (default /var/log/swarmkv-dockerd.log)
#   SWARMKV_NO_INSTALL=1 never apt-get install
set -uo pipefail

SOCK="${SWARMKV_DOCKER_SOCK:-/var/run/docker.sock}"
LOG="${SWARMKV_DOCKERD_LOG:-/var/log/swarmkv-dockerd.log}"
WAIT_SECONDS="${SWARMKV_DOCKERD_WAIT:-30}"

answers() {
  # /_ping is the cheapest call the engine has; curl speaks HTTP over a unix socket.
  [ -S "$SOCK" ] && curl -fsS --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1
}

if answers; then
  echo "ensure-dockerd: engine already answers on $SOCK" >&2
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "${SWARMKV_NO_INSTALL:-0}" = 1 ] || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-dockerd: dockerd is not installed (install Debian's docker.io as root)" >&2
    exit 1
  fi
  echo "ensure-dockerd: installing docker.io" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends docker.io >/dev/null || {
    echo "ensure-dockerd: apt-get install docker.io failed" >&2
    exit 1
  }
fi

if [ "$(id -u)" != 0 ]; then
  echo "ensure-dockerd: dockerd is installed but not running, and starting it needs root" >&2
  exit 1
fi

# A dockerd that died uncleanly leaves its pid file; dockerd refuses to start while it names a
# live process, so only a stale one is removed.
PIDFILE=/var/run/docker.pid
if [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then rm -f "$PIDFILE"; fi

mkdir -p "$(dirname "$LOG")"
echo "ensure-dockerd: starting dockerd (log: $LOG)" >&2
# setsid: the engine must outlive the shell (and the test runner) that started it.
DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid dockerd -H "unix://$SOCK" >>"$LOG" 2>&1 </dev/null &
PID=$!

for _ in $(seq 1 $((WAIT_SECONDS * 4))); do
  if answers; then
    echo "ensure-dockerd: engine up (pid $PID)" >&2
    echo "$PID"
    exit 0
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "ensure-dockerd: dockerd exited; last lines of $LOG:" >&2
    tail -n 15 "$LOG" >&2
    exit 1
  fi
  sleep 0.25
done
echo "ensure-dockerd: dockerd did not answer on $SOCK within ${WAIT_SECONDS}s; see $LOG" >&2
exit 1
