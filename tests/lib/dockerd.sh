#!/usr/bin/env bash
# The one private dockerd of build.sh, tests/Benchmarks/bench.sh and the tests' DockerDaemon (docs/testing.md):
# its own data root, exec root, pidfile and socket under DIR; no iptables, no forwarding, no masquerading, so the
# host's firewall is untouched; stopped by the PID it was started with; docker0 removed only if this daemon
# created it and no other dockerd runs; every mount it left under DIR unmounted.
#
#   source tests/lib/dockerd.sh; dockerd_start DIR [dockerd options…]; …; dockerd_stop DIR
#   tests/lib/dockerd.sh start DIR [dockerd options…]   prints DOCKER_HOST=… and pid=… once the daemon answers
#   tests/lib/dockerd.sh stop DIR
#
# Extra options choose the bridge: --bip 10.200.250.1/24 (build.sh, the tests) or --bridge none (bench.sh).
# DOCKERD_WAIT (seconds, default 60) bounds the wait for the first answer. A unix socket path must stay under
# 108 bytes: keep DIR short (/var/tmp/…).

# Starts the daemon (or finds the one this DIR already runs) and waits until it answers; 1 if it does not.
dockerd_start() {
  local dir=$1 pid
  shift
  mkdir -p "$dir"
  export DOCKER_HOST="unix://$dir/d.sock" DOCKER_BUILDKIT=0 DOCKER_CLI_HINTS=false
  if [[ -f $dir/started.pid ]] && kill -0 "$(cat "$dir/started.pid")" 2>/dev/null && docker info >/dev/null 2>&1; then
    return 0
  fi
  if ip link show docker0 >/dev/null 2>&1; then touch "$dir/docker0-existed"; else rm -f "$dir/docker0-existed"; fi
  # setsid: the daemon outlives a `dockerd.sh start` process; it is stopped by dockerd_stop, by its PID.
  setsid dockerd --iptables=false --ip-forward=false --ip-masq=false "$@" \
    --data-root "$dir/root" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    -H "$DOCKER_HOST" </dev/null >"$dir/dockerd.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/started.pid"
  for _ in $(seq $((${DOCKERD_WAIT:-60} * 10))); do
    docker info >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "dockerd.sh: dockerd did not answer; see $dir/dockerd.log" >&2
  return 1
}

# Stops the daemon started for DIR (TERM, then KILL after 30 s), unmounts what it left, and leaves the host's
# docker0 as it was found. Safe to call twice, or when the start failed.
dockerd_stop() {
  local dir=$1 pid
  if [[ -f $dir/started.pid ]]; then
    pid=$(cat "$dir/started.pid")
    kill -TERM "$pid" 2>/dev/null || true # dockerd stops its containers on TERM
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/started.pid"
  fi
  # The exec root is not a mount point itself (umount -R would miss what is inside): every mount under DIR,
  # deepest first.
  awk -v dir="$dir/" 'index($5, dir) == 1 { print length($5), $5 }' /proc/self/mountinfo | sort -rn | cut -d' ' -f2- |
    while read -r mount_point; do umount "$mount_point" 2>/dev/null || true; done
  if [[ ! -e $dir/docker0-existed ]] && ! pgrep -x dockerd >/dev/null; then
    ip link del docker0 2>/dev/null || true
  fi
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
    start)
      shift
      dir=${1:?usage: dockerd.sh start DIR [dockerd options…]}
      shift
      dockerd_start "$dir" "$@"
      echo "DOCKER_HOST=$DOCKER_HOST"
      echo "pid=$(cat "$dir/started.pid")"
      ;;
    stop) dockerd_stop "${2:?usage: dockerd.sh stop DIR}" ;;
    *) echo "usage: dockerd.sh start DIR [dockerd options…] | stop DIR" >&2; exit 2 ;;
  esac
fi
