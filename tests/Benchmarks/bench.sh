#!/usr/bin/env bash
# Benchmarks: out/init against tini, dumb-init and catatonit as PID 1, and the netlink library against
# iproute2. Run by `./build.sh bench` (which builds out/init first). Writes out/bench.md and prints it.
# Takes ~2–3 minutes. The machine is shared, so every number is a median with its spread, and the
# contenders take turns round by round (interleaved), so drifting load hits them all alike.
# Network changes happen only in a namespace created here (10.200.0.0/16), deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# `bench.sh footprint` runs section 0 alone and writes out/bench-footprint.md; `bench.sh netlink` sections 4 and
# 4b alone (out/bench-netlink.md).
# Run counts (overridable from the environment for a quick try; the defaults are what docs/benchmarks.md quotes).
START_ROUNDS=${START_ROUNDS:-10} START_RUNS=${START_RUNS:-50}    # 1: interleaved hyperfine rounds × runs
RSS_ROUNDS=${RSS_ROUNDS:-3}                                      # 2
TERM_RUNS=${TERM_RUNS:-50} LEFTOVER_RUNS=${LEFTOVER_RUNS:-7}     # 3
STOP_RUNS=${STOP_RUNS:-30}                                       # 3, a stop request during the set-up
N=${N:-500} NETLINK_REPS=${NETLINK_REPS:-11} IP_EACH_REPS=${IP_EACH_REPS:-3} OPEN_SAMPLES=${OPEN_SAMPLES:-200}  # 4
BIG_N=${BIG_N:-10000} BIG_REPS=${BIG_REPS:-5}                     # 4b: against vishvananda/netlink and ip -batch
DOCKER_RUNS=${DOCKER_RUNS:-15}                                    # 5

REPORT=out/bench.md
WORK=$(mktemp -d /tmp/init-bench.XXXXXX)
NETNS=init-bench-$$
BUSYBOX=/bin/busybox
NETLINK_BENCH=$WORK/bench/NetlinkBench
GO_NETLINK_BENCH=$WORK/bench/GoNetlinkBench
BACKGROUND=() # unshare processes still running, killed on an early exit (cleared once reaped: no PID reuse)

cleanup() {
  local pid init
  for pid in "${BACKGROUND[@]}"; do
    init=$(init_pid_of "$pid")
    [[ -z $init ]] || kill -KILL "$init" 2>/dev/null || true   # PID 1 of its namespace: takes the rest along
    kill -KILL "$pid" 2>/dev/null || true
  done
  ip netns del "$NETNS" 2>/dev/null || true   # takes the veth pair inside it along
  ip netns del "$NETNS-gw" 2>/dev/null || true
  ip netns del "$FOOT_NETNS" 2>/dev/null || true
  ip netns del "$FOOT_NETNS-gw" 2>/dev/null || true
  [[ -z $CGROUP_DIR ]] || rmdir "$CGROUP_DIR"/* "$CGROUP_DIR" 2>/dev/null || true
  ip netns del "$NETNS-multi" 2>/dev/null || true
  stop_dockerd
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { printf '==> %s\n' "$*" >&2; }

deps() {
  local missing=() p
  for p in hyperfine tini dumb-init catatonit busybox-static iproute2 util-linux jq file valgrind strace linux-perf \
    golang-go golang-github-vishvananda-netlink-dev; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# stdin: one number per line. stdout: "median p90 min max n" (p90 by nearest rank).
stats() {
  sort -g | awk '{ v[NR] = $1 }
    END { n = NR; if (n == 0) { print "- - - - 0"; exit }
          median = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
          k = int(0.9 * n); if (k < 0.9 * n) k++
          printf "%.2f %.2f %.2f %.2f %d\n", median, v[k], v[1], v[n], n }'
}

# A table row from "median p90 min max n": | name | median | p90 | min–max | n | notes |
row() {
  local name=$1 notes=$2 median p90 min max n
  read -r median p90 min max n
  printf '| %s | %s | %s | %s – %s | %s | %s |\n' "$name" "$median" "$p90" "$min" "$max" "$n" "$notes"
}

# --- the contenders -----------------------------------------------------------------------------------
INITS=(bare init tini-static tini dumb-init catatonit)
declare -A INIT_CMD=(
  [bare]=""
  [init]="$PWD/out/init"
  [tini-static]=/usr/bin/tini-static
  [tini]=/usr/bin/tini
  [dumb-init]=/usr/bin/dumb-init
  [catatonit]=/usr/bin/catatonit
  [floor]=$WORK/floor/RuntimeFloor # the least NativeAOT init, built like ours (section 0 only)
)
label() { [[ $1 == init ]] && echo "**init (ours)**" || echo "$1"; }
AS_PID1="unshare --pid --fork --mount-proc"

# The init process itself: the one child unshare forks.
init_pid_of() { local pid; pid=$(cat "/proc/$1/task/$1/children" 2>/dev/null) || true; echo "${pid// /}"; }

machine_facts() {
  cat <<EOF
# Benchmarks

Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`./build.sh bench\` (tests/Benchmarks/bench.sh).
Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), kernel $(uname -r),
load average at start $(cut -d' ' -f1-3 /proc/loadavg) (the cores are shared with other work: expect noise).
Versions: init $(out/init --version | cut -d' ' -f2), tini $(dpkg-query -W -f '${Version}' tini),
dumb-init $(dpkg-query -W -f '${Version}' dumb-init), catatonit $(dpkg-query -W -f '${Version}' catatonit),
iproute2 $(dpkg-query -W -f '${Version}' iproute2), hyperfine $(hyperfine --version | cut -d' ' -f2).
Times in ms unless marked. "bare" is the workload itself as PID 1, no init.

EOF
}

# --- 0. footprint: ours against tini-static, side by side ---------------------------------------------
# Machine-independent counts (instructions, syscalls, page faults, bytes) beside the times: on a nested VM a
# CPUID costs ~8 µs and glibc's static start runs dozens of them, so times alone blur the difference.
FOOT_ROUNDS=${FOOT_ROUNDS:-5} FOOT_RUNS=${FOOT_RUNS:-40} FOOT_COUNT_RUNS=${FOOT_COUNT_RUNS:-20} FOOT_STRACE_RUNS=${FOOT_STRACE_RUNS:-5}
CGROUP_ROUNDS=${CGROUP_ROUNDS:-3}
FOOT_NETNS=init-bench-foot-$$
CGROUP_DIR=""

# Total instructions of one run (valgrind's callgrind: perf's hardware counters are not there in a VM).
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : //p'
}

# Minor page faults of the whole process tree, mean of FOOT_COUNT_RUNS runs (perf's software counter).
minor_faults() {
  perf stat -x, -e minor-faults -r "$FOOT_COUNT_RUNS" "$@" 2>&1 >/dev/null | awk -F, '$3 == "minor-faults" { printf "%.0f", $1 }'
}

# System calls of the whole process tree (every thread and child): the median of FOOT_STRACE_RUNS runs (under
# load, the runtime's spin-waits show up as extra futex and sched_yield calls in a single run).
syscalls() {
  local run
  for ((run = 0; run < $FOOT_STRACE_RUNS; run++)); do
    strace -f -c -o "$WORK/strace.out" "$@" >/dev/null 2>&1 || true
    awk '$NF == "total" { print $4 }' "$WORK/strace.out"
  done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# The memory cgroup charge of an idle container: NAME's binary (a fresh copy, its page cache dropped, so the
# pages it touches are charged here and not to whoever read the file first) as PID 1 of `sleep 3`, in a
# memory cgroup of its own. Prints "charged anon file rssanon" in KB after 1.5 s.
cgroup_charge() {
  local name=$1 binary upid pid usage stat
  local cg=$CGROUP_DIR/$name
  mkdir "$cg"
  if [[ $name == bare ]]; then binary=""; else
    binary=$WORK/cg-bin/$name
    cp "${INIT_CMD[$name]}" "$binary"
    sync "$binary"
    dd if="$binary" iflag=nocache count=0 status=none # drop its pages from the page cache
  fi
  # shellcheck disable=SC2086
  $AS_PID1 sh -c "echo 0 >$cg/cgroup.procs && exec $binary /bin/sleep 3" &
  upid=$!
  BACKGROUND+=("$upid")
  sleep 1.5
  pid=$(init_pid_of "$upid")
  if [[ -f $cg/memory.current ]]; then
    usage=$(cat "$cg/memory.current"); stat=$(awk '$1 == "anon" { a = $2 } $1 == "file" { f = $2 } END { print a, f }' "$cg/memory.stat")
  else
    usage=$(cat "$cg/memory.usage_in_bytes"); stat=$(awk '$1 == "rss" { a = $2 } $1 == "cache" { f = $2 } END { print a, f }' "$cg/memory.stat")
  fi
  echo "$usage $stat $(awk '/^RssAnon:/ { print $2 * 1024 }' "/proc/$pid/status")" | awk '{ printf "%d %d %d %d\n", $1 / 1024, $2 / 1024, $3 / 1024, $4 / 1024 }'
  kill -TERM "$pid" 2>/dev/null || true # every contender ends its sleep on TERM
  wait "$upid" 2>/dev/null || true
  BACKGROUND=()
  rmdir "$cg"
}

# The memory cgroup hierarchy: v2 if mounted with the memory controller, else v1's memory one.
memory_cgroup_root() {
  if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    echo /sys/fs/cgroup
  elif [[ -d /sys/fs/cgroup/memory ]]; then
    echo /sys/fs/cgroup/memory
  fi
}

foot_network() {
  ip netns add "$FOOT_NETNS"
  ip netns add "$FOOT_NETNS-gw"
  ip -n "$FOOT_NETNS-gw" link add gw0 type veth peer name eth0 netns "$FOOT_NETNS"
  ip -n "$FOOT_NETNS-gw" link set gw0 up
  cat >"$WORK/full.toml" <<'EOF'
version = 1

[[interface]]
name = "eth0"
addresses = ["10.200.0.2/24", "fd00:200::2/64"]

[[interface.route]]
to = "default"
via = "10.200.0.1"

[[interface.route]]
to = "default"
via = "fd00:200::1"
EOF
  # The same requests from iproute2, for scale (one process, exec to exit).
  printf '%s\n' "link set lo up" "link set eth0 up" "address add 10.200.0.2/24 dev eth0" "address add fd00:200::2/64 dev eth0" \
    "route add default via 10.200.0.1 dev eth0" "route add default via fd00:200::1 dev eth0" >"$WORK/full.batch"
  # Back to a bare eth0 and lo between runs, so every run of the full spec does all its work.
  # It flushes eth0 and lo: it refuses to run anywhere but the bench's own namespace (the host's eth0 is the
  # machine's lifeline; a run that lost its `ip netns exec` once took it down).
  cat >"$WORK/reset.sh" <<EOF
#!/bin/sh
[ "\$(ip netns identify)" = "$FOOT_NETNS" ] || { echo "reset.sh: not in namespace $FOOT_NETNS: refusing" >&2; exit 1; }
ip link set eth0 down; ip address flush dev eth0; ip link set lo down; ip address flush dev lo
EOF
  chmod +x "$WORK/reset.sh"
}

# tests/Benchmarks/RuntimeFloor: the .NET runtime's own start and exit around the least an init does (posix_spawnp
# and waitpid), compiled and linked with init/StaticBuild.props like out/init. What it costs, ours cannot go below.
publish_runtime_floor() {
  say "publishing tests/Benchmarks/RuntimeFloor (NativeAOT, static, init's build settings)"
  dotnet publish tests/Benchmarks/RuntimeFloor/RuntimeFloor.csproj -c Release -r linux-x64 -o "$WORK/floor" \
    -p:DebugType=none -p:StripSymbols=true -nologo -v quiet | { grep -v "Using '.*' in statically linked" || true; }
}

bench_footprint() {
  say "0/5 footprint against tini-static and the runtime's floor ($FOOT_ROUNDS rounds × $FOOT_RUNS runs; counts over $FOOT_COUNT_RUNS runs)"
  local round name args=() nsargs=() in_ns="ip netns exec $FOOT_NETNS"
  publish_runtime_floor
  foot_network
  for name in bare init tini-static floor; do args+=(-n "$name" "$AS_PID1 ${INIT_CMD[$name]:+${INIT_CMD[$name]} }/bin/true"); done
  for name in init tini-static floor; do args+=(-n "$name --version" "${INIT_CMD[$name]} --version"); done
  nsargs=(-n "no spec" "$AS_PID1 $PWD/out/init /bin/true" -n "full spec" "$AS_PID1 $PWD/out/init -s $WORK/full.toml /bin/true"
    -n "ip -batch" "ip -batch $WORK/full.batch" -n "ip -batch (empty)" "ip -batch /dev/null")
  for ((round = 1; round <= FOOT_ROUNDS; round++)); do
    hyperfine -N --style none --warmup 3 --runs "$FOOT_RUNS" --export-json "$WORK/foot-$round.json" "${args[@]}" \
      >/dev/null 2>>"$WORK/hyperfine.log"
    $in_ns hyperfine -N --style none --warmup 3 --runs "$FOOT_RUNS" --prepare "$WORK/reset.sh" \
      --export-json "$WORK/foot-net-$round.json" "${nsargs[@]}" >/dev/null 2>>"$WORK/hyperfine.log"
  done
  declare -A wall cpu faults calls ir
  for name in bare init tini-static floor "init --version" "tini-static --version" "floor --version"; do
    wall[$name]=$(jq -r --arg name "$name" '.results[] | select(.command == $name) | .times[] * 1000' "$WORK"/foot-[0-9]*.json | stats | cut -d' ' -f1)
    cpu[$name]=$(jq -s -r --arg name "$name" '[.[].results[] | select(.command == $name) | .user + .system] | add / length * 1000' "$WORK"/foot-[0-9]*.json)
  done
  for name in "no spec" "full spec" "ip -batch" "ip -batch (empty)"; do
    wall[$name]=$(jq -r --arg name "$name" '.results[] | select(.command == $name) | .times[] * 1000' "$WORK"/foot-net-*.json | stats | cut -d' ' -f1)
    cpu[$name]=$(jq -s -r --arg name "$name" '[.[].results[] | select(.command == $name) | .user + .system] | add / length * 1000' "$WORK"/foot-net-*.json)
  done
  for name in bare init tini-static floor; do
    # shellcheck disable=SC2086
    faults[$name]=$(minor_faults $AS_PID1 ${INIT_CMD[$name]} /bin/true)
    # shellcheck disable=SC2086
    calls[$name]=$(syscalls $AS_PID1 ${INIT_CMD[$name]} /bin/true)
    [[ $name == bare ]] && continue
    faults["$name --version"]=$(minor_faults "${INIT_CMD[$name]}" --version)
    calls["$name --version"]=$(syscalls "${INIT_CMD[$name]}" --version)
    ir["$name --version"]=$(instructions "${INIT_CMD[$name]}" --version)
  done
  # shellcheck disable=SC2086
  calls["no spec"]=$($in_ns bash -c "$(declare -f syscalls); WORK=$WORK FOOT_STRACE_RUNS=$FOOT_STRACE_RUNS syscalls sh -c '$WORK/reset.sh; exec $AS_PID1 $PWD/out/init /bin/true'")
  # shellcheck disable=SC2086
  calls["full spec"]=$($in_ns bash -c "$(declare -f syscalls); WORK=$WORK FOOT_STRACE_RUNS=$FOOT_STRACE_RUNS syscalls sh -c '$WORK/reset.sh; exec $AS_PID1 $PWD/out/init -s $WORK/full.toml /bin/true'")
  ip netns del "$FOOT_NETNS-gw"
  ip netns del "$FOOT_NETNS"

  local root
  root=$(memory_cgroup_root)
  if [[ -n $root ]]; then
    CGROUP_DIR=$root/init-bench-$$
    mkdir -p "$CGROUP_DIR" "$WORK/cg-bin"
    for ((round = 1; round <= CGROUP_ROUNDS; round++)); do
      for name in bare init tini-static floor; do echo "$name $(cgroup_charge "$name")" >>"$WORK/cgroup"; done
    done
    rmdir "$CGROUP_DIR"
    CGROUP_DIR=""
  fi
  # median over the rounds of column $2 for NAME $1
  cgmed() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$WORK/cgroup" 2>/dev/null | stats | cut -d' ' -f1 | awk '{ printf "%.0f", $1 }'; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
  minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
  local ours=$PWD/out/init floor=${INIT_CMD[floor]}
  echo "## 0. Footprint: ours against tini-static and the .NET floor (issue 9's targets)"
  echo
  echo "| measure | **init (ours)** | tini-static | .NET floor | ours ÷ or − tini-static | target |"
  echo "|---|---|---|---|---|---|"
  printf '| binary | **%s B** | %s B | %s B | %s | ≤ 2.5 MB |\n' "$(stat -c %s "$ours")" "$(stat -c %s /usr/bin/tini-static)" \
    "$(stat -c %s "$floor")" "$(ratio "$(stat -c %s "$ours")" "$(stat -c %s /usr/bin/tini-static)")"
  printf '| `--version`: instructions | **%s** | %s | %s | %s | ≤ 800,000 |\n' "${ir[init --version]}" "${ir[tini-static --version]}" \
    "${ir[floor --version]}" "$(ratio "${ir[init --version]//,/}" "${ir[tini-static --version]//,/}")"
  printf '| `--version`: CPU (user+sys) | **%.2f ms** | %.2f ms | %.2f ms | %s | ≤ 1.6× |\n' "${cpu[init --version]}" \
    "${cpu[tini-static --version]}" "${cpu[floor --version]}" "$(ratio "${cpu[init --version]}" "${cpu[tini-static --version]}")"
  printf '| `--version`: wall | **%s ms** | %s ms | %s ms | %s | |\n' "${wall[init --version]}" "${wall[tini-static --version]}" \
    "${wall[floor --version]}" "$(ratio "${wall[init --version]}" "${wall[tini-static --version]}")"
  printf '| `--version`: minor page faults | **%s** | %s | %s | | |\n' "${faults[init --version]}" "${faults[tini-static --version]}" \
    "${faults[floor --version]}"
  printf '| `--version`: syscalls | **%s** | %s | %s | | |\n' "${calls[init --version]}" "${calls[tini-static --version]}" \
    "${calls[floor --version]}"
  printf '| PID 1 of `/bin/true`, start → exit: wall | **%s ms** | %s ms | %s ms | %s | ≤ 1.25× |\n' "${wall[init]}" "${wall[tini-static]}" \
    "${wall[floor]}" "$(ratio "${wall[init]}" "${wall[tini-static]}")"
  printf '| same, CPU of the process tree | **%.2f ms** | %.2f ms | %.2f ms | %s | |\n' "${cpu[init]}" "${cpu[tini-static]}" "${cpu[floor]}" \
    "$(ratio "${cpu[init]}" "${cpu[tini-static]}")"
  printf '| same, over a bare `/bin/true` as PID 1 (%s ms wall, %.2f ms CPU) | **+%s ms / +%s ms** | +%s ms / +%s ms | +%s ms / +%s ms | %s (wall) | |\n' \
    "${wall[bare]}" "${cpu[bare]}" "$(minus "${wall[init]}" "${wall[bare]}")" "$(minus "${cpu[init]}" "${cpu[bare]}")" \
    "$(minus "${wall[tini-static]}" "${wall[bare]}")" "$(minus "${cpu[tini-static]}" "${cpu[bare]}")" \
    "$(minus "${wall[floor]}" "${wall[bare]}")" "$(minus "${cpu[floor]}" "${cpu[bare]}")" \
    "$(ratio "$(minus "${wall[init]}" "${wall[bare]}")" "$(minus "${wall[tini-static]}" "${wall[bare]}")")"
  printf '| same: the init'"'"'s syscalls (tree − bare, %s) | **%s** | %s | %s | | ≤ 150 |\n' "${calls[bare]}" \
    "$((calls[init] - calls[bare]))" "$((calls[tini-static] - calls[bare]))" "$((calls[floor] - calls[bare]))"
  printf '| same: the init'"'"'s minor page faults (tree − bare, %s) | **%s** | %s | %s | | |\n' "${faults[bare]}" \
    "$((faults[init] - faults[bare]))" "$((faults[tini-static] - faults[bare]))" "$((faults[floor] - faults[bare]))"
  printf '| full spec (lo, eth0, v4+v6 addresses, 2 default routes) over no spec: wall | **+%s ms** (%s → %s) | | | | ≤ 0.4 ms |\n' \
    "$(minus "${wall[full spec]}" "${wall[no spec]}")" "${wall[no spec]}" "${wall[full spec]}"
  printf '| same: CPU / syscalls | **+%s ms / +%s** | | | | |\n' "$(minus "${cpu[full spec]}" "${cpu[no spec]}")" \
    "$((calls[full spec] - calls[no spec]))"
  printf '| for scale: `ip -batch` with the same 6 requests, over an empty `ip -batch` (%s ms, %.2f ms CPU) | +%s ms wall, +%s ms CPU | | | | |\n' \
    "${wall[ip -batch (empty)]}" "${cpu[ip -batch (empty)]}" "$(minus "${wall[ip -batch]}" "${wall[ip -batch (empty)]}")" \
    "$(minus "${cpu[ip -batch]}" "${cpu[ip -batch (empty)]}")"
  if [[ -s $WORK/cgroup ]]; then
    printf '| idle, supervising `sleep`: RssAnon | **%s KB** | %s KB | %s KB | | ≤ 300 KB |\n' "$(cgmed init 5)" "$(cgmed tini-static 5)" \
      "$(cgmed floor 5)"
    printf '| idle container, memory cgroup charge (bare `sleep`: %s KB) | **%s KB** | %s KB | %s KB | +%s KB | |\n' "$(cgmed bare 2)" \
      "$(cgmed init 2)" "$(cgmed tini-static 2)" "$(cgmed floor 2)" "$(($(cgmed init 2) - $(cgmed tini-static 2)))"
    printf '| same, of which anon / file (bare: %s / %s KB) | **%s / %s KB** | %s / %s KB | %s / %s KB | | |\n' "$(cgmed bare 3)" \
      "$(cgmed bare 4)" "$(cgmed init 3)" "$(cgmed init 4)" "$(cgmed tini-static 3)" "$(cgmed tini-static 4)" "$(cgmed floor 3)" \
      "$(cgmed floor 4)"
  fi
  cat <<EOF

".NET floor" is tests/Benchmarks/RuntimeFloor, built with init/StaticBuild.props like ours: \`--version\` writes one
line, otherwise it runs its command with posix_spawnp and waits for it (no signals, no reaping, no spec), so its
figures are the .NET runtime's own start and exit around the least an init does. How: times are \`hyperfine -N --warmup 3\`, $FOOT_ROUNDS interleaved rounds × $FOOT_RUNS runs, median wall and mean
user+system CPU of the whole process tree; "PID 1" is \`$AS_PID1 INIT /bin/true\`. Instructions: valgrind's
callgrind, one run (the VM exposes no hardware counters to perf). Page faults: \`perf stat -e minor-faults\`,
mean of $FOOT_COUNT_RUNS runs. Syscalls: \`strace -f -c\`, median of $FOOT_STRACE_RUNS runs, every thread and child; for the PID-1 rows the
same run of a bare \`/bin/true\` (unshare's own fork and exec, true's start) is subtracted. Every command runs with a container's environment
(PATH, HOSTNAME=bench, HOME=/root: the runtime's ~100 getenv lookups each scan the whole environment). The spec rows run in a
throwaway namespace (eth0 a veth to a peer namespace), reset to a bare eth0 and lo before every run, so each run
of the full spec does all its requests; "no spec" is the same command without a spec file. Memory: a fresh copy
of each binary, its page cache dropped (\`dd iflag=nocache\`), runs as PID 1 of \`sleep 3\` in a memory cgroup of
its own$([[ -n $root ]] && echo " ($root)"); after 1.5 s the cgroup's charge (memory.current or memory.usage_in_bytes, which
can include a per-CPU batch of pre-charged pages) and memory.stat's anon/rss and file/cache are read, and the init's
RssAnon; median of $CGROUP_ROUNDS rounds. The file pages are the binary's pages the start touched: moving memory from
anonymous to file-backed pages does not make it free, the container pays for both.

EOF
}

# --- 1. start-up to exit as PID 1 ---------------------------------------------------------------------
bench_startup() {
  say "1/5 start-up to exit as PID 1 ($((START_ROUNDS * START_RUNS)) runs each)"
  local round name args=()
  for name in "${INITS[@]}"; do args+=(-n "$name" "$AS_PID1 ${INIT_CMD[$name]:+${INIT_CMD[$name]} }/bin/true"); done
  args+=(-n "init --version" "$PWD/out/init --version" -n "tini-static --version" "/usr/bin/tini-static --version")
  routes_spec 10000 >"$WORK/routes.toml"
  args+=(-n "init --check (10,000 routes)" "$PWD/out/init --check -s $WORK/routes.toml")
  multi_interface_netns
  multi_interface_spec >"$WORK/multi.toml"
  args+=(-n "init --check (2 ifaces, 4 rules, 20 routes)" "$PWD/out/init --check -s $WORK/multi.toml")
  args+=(-n "init applies it (2 ifaces, 4 rules, 20 routes)" "ip netns exec $NETNS-multi $AS_PID1 $PWD/out/init -s $WORK/multi.toml /bin/true")
  for ((round = 1; round <= START_ROUNDS; round++)); do
    hyperfine -N --style none --warmup 5 --runs "$START_RUNS" --export-json "$WORK/start-$round.json" "${args[@]}" \
      >/dev/null 2>>"$WORK/hyperfine.log"
  done
  echo "## 1. Start-up to exit as PID 1"
  echo
  echo "| init | median | p90 | min – max | runs | CPU (user+sys) | notes |"
  echo "|---|---|---|---|---|---|---|"
  for name in "${INITS[@]}" "init --version" "tini-static --version" "init --check (10,000 routes)" \
    "init --check (2 ifaces, 4 rules, 20 routes)" "init applies it (2 ifaces, 4 rules, 20 routes)"; do
    jq -r --arg name "$name" '.results[] | select(.command == $name) | .times[] * 1000' "$WORK"/start-*.json |
      stats | row "$(label "$name")" "$(cpu_time "$name") | $(startup_note "$name")"
  done
  cat <<EOF

How: \`hyperfine -N --warmup 5 --runs $START_RUNS\` (no shell in between), repeated in $START_ROUNDS rounds that
take turns, over \`$AS_PID1 [INIT] /bin/true\`; wall-clock median, p90, min and max over all runs. The time
includes unshare's own fork and the PID namespace's set-up and teardown (the "bare" row): the init's cost
is the difference. CPU is hyperfine's mean user+system time of the whole process tree per run: less
disturbed by other load than wall time, and what a busy machine makes you wait for.
Our init runs without a spec (none at /etc/init/network.toml), so it changes no network. The last two
rows but one are the binaries alone, no namespace: pure process start-up (the NativeAOT runtime vs C). The
last validates a spec of one interface with 10,000 gateway routes and prints its plan (target ≤ 50 ms:
validation is linear in the spec). The two-interface spec (eth0 and eth1, 10 gateway routes each, eth1's in
table 101, four source/fwmark rules) is checked, then applied as PID 1 in a namespace holding the two veth
ends: each run after the first converges (replaces, lists rules, removes nothing), as a container restart does.

EOF
}

# A spec with one interface and $1 /32 routes through an on-link gateway (nothing is applied: --check).
routes_spec() {
  printf '[[interface]]\nname = "eth0"\naddresses = ["10.200.0.2/16"]\n'
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
    printf "[[interface.route]]\nto = \"198.%d.%d.%d/32\"\nvia = \"10.200.0.1\"\n", 18 + int(i / 65536), int(i / 256) % 256, i % 256 }'
}

# A namespace with eth0 and eth1, each one end of a veth pair whose other end stays in the namespace.
multi_interface_netns() {
  ip netns add "$NETNS-multi"
  ip -n "$NETNS-multi" link add eth0 type veth peer name peer0
  ip -n "$NETNS-multi" link add eth1 type veth peer name peer1
}

# Two interfaces, 20 routes (10 via each gateway, eth1's in table 101) and 4 rules.
multi_interface_spec() {
  local i
  printf '[[interface]]\nname = "eth0"\naddresses = ["10.200.10.2/24"]\n'
  for ((i = 0; i < 10; i++)); do printf '[[interface.route]]\nto = "198.18.0.%d/32"\nvia = "10.200.10.1"\n' "$i"; done
  printf '[[interface]]\nname = "eth1"\naddresses = ["10.200.11.2/24"]\n'
  for ((i = 0; i < 10; i++)); do printf '[[interface.route]]\nto = "198.18.1.%d/32"\nvia = "10.200.11.1"\ntable = 101\n' "$i"; done
  printf '[[rule]]\npriority = 100\nfrom = "10.200.11.2/32"\ntable = 101\n'
  printf '[[rule]]\npriority = 110\niif = "eth1"\ntable = 101\nfamily = "ipv4"\n'
  printf '[[rule]]\npriority = 120\nfwmark = "0x10/0xff"\ntable = 101\nfamily = "ipv4"\n'
  printf '[[rule]]\npriority = 130\nto = "198.18.2.0/24"\naction = "prohibit"\n'
}

# Mean user+system milliseconds per run, averaged over the rounds.
cpu_time() {
  jq -s -r --arg name "$1" '[.[].results[] | select(.command == $name) | .user + .system] | add / length * 1000' \
    "$WORK"/start-*.json | awk '{ printf "%.2f", $1 }'
}

startup_note() {
  case $1 in
    bare) echo "/bin/true is PID 1" ;;
    init) echo "NativeAOT, static, $(stat -c %s out/init) B" ;;
    "init --version") echo "runtime start + print + exit" ;;
    "tini-static --version") echo "C start + print + exit" ;;
    "init --check (10,000 routes)") echo "$(stat -c %s "$WORK/routes.toml") B spec, no namespace" ;;
    "init --check (2 ifaces, 4 rules, 20 routes)") echo "$(stat -c %s "$WORK/multi.toml") B spec, no namespace" ;;
    "init applies it (2 ifaces, 4 rules, 20 routes)") echo "PID 1 in a namespace with eth0, eth1; converging re-runs" ;;
    *) echo "" ;;
  esac
}

# --- 2. memory ----------------------------------------------------------------------------------------
bench_memory() {
  say "2/5 memory ($RSS_ROUNDS rounds)"
  local round name upid pid
  declare -A upids
  for ((round = 1; round <= RSS_ROUNDS; round++)); do
    for name in "${INITS[@]}"; do
      # shellcheck disable=SC2086 # the command is words on purpose
      $AS_PID1 ${INIT_CMD[$name]} /bin/sleep 2 &
      upids[$name]=$!
      BACKGROUND+=($!)
    done
    sleep 1
    for name in "${INITS[@]}"; do
      pid=$(init_pid_of "${upids[$name]}")
      awk -v name="$name" '/^(VmRSS|VmHWM|RssAnon):/ { printf "%s %s %s\n", name, $1, $2 }' "/proc/$pid/status" >>"$WORK/rss"
    done
    for name in "${INITS[@]}"; do wait "${upids[$name]}" || true; done
    BACKGROUND=()
  done
  echo "## 2. Memory and size"
  echo
  echo "| init | idle RSS (VmRSS) | peak RSS (VmHWM) | private (RssAnon) | binary size | linking |"
  echo "|---|---|---|---|---|---|"
  for name in "${INITS[@]}"; do
    local path=${INIT_CMD[$name]:-/bin/sleep} field values=()
    for field in VmRSS: VmHWM: RssAnon:; do
      values+=("$(awk -v name="$name" -v f="$field" '$1 == name && $2 == f { print $3 }' "$WORK/rss" | stats | cut -d' ' -f1)")
    done
    printf '| %s | %.0f KB | %.0f KB | %.0f KB | %s B | %s |\n' "$(label "$name")" "${values[@]}" \
      "$(stat -c %s "$path")" "$(file -b "$path" | grep -oE 'statically linked|static-pie linked|dynamically linked')"
  done
  # The arm64 build (./build.sh bench builds it): its size only; memory under qemu-user says nothing about arm64.
  printf '| **init (ours), linux-arm64** (size only) | | | | %s B | %s |\n' \
    "$(stat -c %s out/arm64/init)" "$(file -b out/arm64/init | grep -oE 'statically linked')"
  cat <<EOF

How: each init supervises \`/bin/sleep 2\` as PID 1 (\`$AS_PID1\`); after 1 s, VmRSS, VmHWM and RssAnon are
read from /proc/<init>/status; median of $RSS_ROUNDS rounds (they barely vary). "bare" is /bin/sleep itself.
RSS counts the file-backed pages a process touched: for a dynamically linked binary these include its share
of libc, which other processes share too; RssAnon is what the process alone costs.

EOF
}

# --- 3. signal forwarding and shutdown ----------------------------------------------------------------
# Starts INIT over a busybox script as PID 1, waits for "ready", sends TERM to the init from outside and
# time_term PID UPID: sends TERM to PID, waits for UPID (the background job that runs it, reaped at once) and
# prints "milliseconds exit-status".
time_term() {
  local t0 t1 status=0
  t0=$EPOCHREALTIME
  kill -TERM "$1"
  wait "$2" || status=$?
  t1=$EPOCHREALTIME
  BACKGROUND=()
  awk -v a="$t0" -v b="$t1" -v s="$status" 'BEGIN { printf "%.3f %d\n", (b - a) * 1000, s }'
}

# prints "milliseconds exit-status" for the time from kill to the init's exit (unshare reaps it at once).
term_run() {
  local name=$1 script=$2 upid pid line
  # shellcheck disable=SC2086
  $AS_PID1 ${INIT_CMD[$name]} $BUSYBOX sh "$script" >&3 2>>"$WORK/term.stderr" &
  upid=$!
  BACKGROUND+=("$upid")
  read -r -t 5 line <&3 || { echo "bench: $name did not start $script" >&2; return 1; }
  pid=$(init_pid_of "$upid")
  sleep 0.02 # let the shell reach its `wait`
  time_term "$pid" "$upid"
}

bench_signals() {
  say "3/5 signal forwarding and shutdown ($TERM_RUNS + 2×$LEFTOVER_RUNS runs each)"
  INIT_CMD[init]="$PWD/out/init --grace 1s"
  mkfifo "$WORK/ready"
  exec 3<>"$WORK/ready"
  # Exits on TERM (its sleep goes with it).
  cat >"$WORK/term.sh" <<'EOF'
trap 'kill $!; exit 0' TERM
/bin/busybox sleep 1000 &
echo ready
wait
EOF
  # Exits on TERM, leaving a child behind that ignores TERM. The last process to set its traps says "ready".
  cat >"$WORK/stubborn.sh" <<'EOF'
trap 'exit 0' TERM
/bin/busybox sh -c 'trap "" TERM; echo ready; exec /bin/busybox sleep 1000' &
wait
EOF
  # Exits on TERM, leaving a child behind that cleans up (writes a line to $MARK) when it gets TERM.
  cat >"$WORK/leftover.sh" <<'EOF'
trap 'kill $!; echo cleaned >>"$MARK"; exit 0' TERM
/bin/busybox sleep 1000 &
echo ready
wait
EOF
  cat >"$WORK/cleanup.sh" <<EOF
trap 'exit 0' TERM
/bin/busybox sh $WORK/leftover.sh &
wait
EOF
  local i name
  for ((i = 0; i < TERM_RUNS; i++)); do
    for name in "${INITS[@]}"; do term_run "$name" "$WORK/term.sh" >>"$WORK/term.$name"; done
  done
  for ((i = 0; i < LEFTOVER_RUNS; i++)); do
    for name in "${INITS[@]}"; do
      term_run "$name" "$WORK/stubborn.sh" >>"$WORK/stubborn.$name"
      MARK=$WORK/cleaned.$name term_run "$name" "$WORK/cleanup.sh" >>"$WORK/cleanup.$name"
    done
  done
  exec 3<&-
  INIT_CMD[init]="$PWD/out/init"

  echo "## 3. Signal forwarding and shutdown"
  echo
  echo "Workload exits on TERM: \`kill -TERM <init>\` → init exits."
  echo
  echo "| init | median | p90 | min – max | runs | exit status |"
  echo "|---|---|---|---|---|---|"
  for name in "${INITS[@]}"; do
    cut -d' ' -f1 "$WORK/term.$name" | stats | row "$(label "$name")" "$(cut -d' ' -f2 "$WORK/term.$name" | sort -u | paste -sd/)"
  done
  echo
  echo "With a leftover child (it outlives the workload): kill → init exits."
  echo
  echo "| init | leftover ignores TERM: median (min – max) | leftover handles TERM: median (min – max) | leftover's TERM handler ran |"
  echo "|---|---|---|---|"
  for name in "${INITS[@]}"; do
    local ignoring handling cleaned=0
    ignoring=$(cut -d' ' -f1 "$WORK/stubborn.$name" | stats | awk '{ printf "%s (%s – %s)", $1, $3, $4 }')
    handling=$(cut -d' ' -f1 "$WORK/cleanup.$name" | stats | awk '{ printf "%s (%s – %s)", $1, $3, $4 }')
    [[ ! -f $WORK/cleaned.$name ]] || cleaned=$(wc -l <"$WORK/cleaned.$name")
    printf '| %s | %s | %s | %s of %s runs |\n' "$(label "$name")" "$ignoring" "$handling" "$cleaned" "$LEFTOVER_RUNS"
  done
  cat <<EOF

How: \`$AS_PID1 INIT busybox sh SCRIPT\`; the script says "ready" on a FIFO, 20 ms later \`kill -TERM\` goes
to the init's host PID and the clock stops when unshare's wait for it returns (bash \$EPOCHREALTIME).
The workload traps TERM and exits 0. Ours runs with \`--grace 1s\`; the others with their defaults.
The leftover is a background child of the workload shell that is still alive when the workload exits:
either \`trap "" TERM; exec sleep\` (ignores TERM) or a shell that on TERM writes a line and exits.
What happens to it: our init sends TERM to every leftover, waits up to the grace period while reaping,
then SIGKILLs the rest; so an ignoring leftover costs the full grace (1 s here), a cooperative one gets
to clean up. tini, tini-static, catatonit and a bare PID 1 exit as soon as their child exits, and the
kernel then SIGKILLs everything left in the PID namespace: fast, but no leftover gets a TERM.
dumb-init (default setsid mode) forwards the TERM to the whole process group, so a leftover in the
workload's group sees the original TERM; then dumb-init exits with its child and the kernel kills the rest.

EOF
}

# Ours only (the others configure no network): TERM while the set-up waits for carrier that never comes
# (wait_timeout 10m). Prints "milliseconds exit-status" from kill to the init's exit; the target is 100 ms.
stop_setup_run() {
  local upid pid tries=0
  ip -n "$NETNS" link set eth0 down
  # shellcheck disable=SC2086
  ip netns exec "$NETNS" $AS_PID1 "$PWD/out/init" -s "$WORK/carrier.toml" -- $BUSYBOX true 2>>"$WORK/stop.stderr" &
  upid=$!
  BACKGROUND+=("$upid")
  until ip -n "$NETNS" link show eth0 | grep -q ',UP'; do # the init set it up: the carrier wait comes next
    ((++tries < 1000)) || { echo "bench: the init never set eth0 up" >&2; return 1; }
    sleep 0.005
  done
  pid=$(init_pid_of "$upid")
  sleep 0.02 # let it reach the wait
  time_term "$pid" "$upid"
}

bench_stop_during_setup() {
  say "3/5 a stop request during the set-up ($STOP_RUNS runs)"
  ip netns add "$NETNS"
  ip netns add "$NETNS-gw"
  ip -n "$NETNS-gw" link add gw0 type veth peer name eth0 netns "$NETNS" # gw0 stays down: no carrier
  printf '[[interface]]\nname = "eth0"\nwait = "carrier"\nwait_timeout = "10m"\naddresses = ["10.200.0.2/24"]\n' >"$WORK/carrier.toml"
  local i
  for ((i = 0; i < STOP_RUNS; i++)); do stop_setup_run >>"$WORK/stop.init"; done
  ip netns del "$NETNS-gw"
  ip netns del "$NETNS"
  echo "A stop request during the set-up: \`kill -TERM <init>\` while it waits for carrier (wait_timeout 10m) → init exits"
  echo "without starting the workload. Target: 100 ms."
  echo
  echo "| init | median | p90 | min – max | runs | exit status |"
  echo "|---|---|---|---|---|---|"
  cut -d' ' -f1 "$WORK/stop.init" | stats | row "$(label init)" "$(cut -d' ' -f2 "$WORK/stop.init" | sort -u | paste -sd/)"
  echo
}

# --- 4. netlink -------------------------------------------------------------------------------------------
plural() { [[ $1 == *ss ]] && echo "${1}es" || echo "${1}s"; }
nth_ip() { echo "10.200.$(($1 + $2 / 250)).$((1 + $2 % 250))"; }

# The timing loop of sections 4 and 4b: every method once per rep, interleaved; state flushed between runs.
# netlink_method METHOD KIND COUNT: results go to $WORK/nlCOUNT.KIND.METHOD.{wall,inproc}.
netlink_method() {
  local method=$1 kind=$2 count=$3 t0 t1 out
  t0=$EPOCHREALTIME
  case $method in
    ours-each | ours-batch) out=$("$NETLINK_BENCH" "/run/netns/$NETNS" nb0 "add-$(plural "$kind")-${method#ours-}" "$count") ;;
    go-each) out=$("$GO_NETLINK_BENCH" "/run/netns/$NETNS" nb0 "add-$(plural "$kind")-each" "$count") ;;
    ip-batch) ip -n "$NETNS" -batch "$WORK/$kind.$count.batch" ;;
    ip-each) while read -r line; do ip -n "$NETNS" $line; done <"$WORK/$kind.$count.batch" ;;
    ours-list) out=$("$NETLINK_BENCH" "/run/netns/$NETNS" nb0 "list-$(plural "$kind")") ;;
    go-list) out=$("$GO_NETLINK_BENCH" "/run/netns/$NETNS" nb0 "list-$(plural "$kind")") ;;
    ip-list) ip -n "$NETNS" "$kind" show $([[ $kind == address ]] && echo dev nb0) >/dev/null ;;
    ip-list-json) ip -n "$NETNS" -j "$kind" show $([[ $kind == address ]] && echo dev nb0) >/dev/null ;;
  esac
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }' >>"$WORK/nl$count.$kind.$method.wall"
  [[ -z ${out:-} ]] || echo "${out%% *}" >>"$WORK/nl$count.$kind.$method.inproc"
  [[ $method != *list || -z ${out:-} ]] || check_listed "$method" "$kind" "$count" "${out##* }"
}

# A dump that found fewer objects than were added would make a fast but meaningless row.
check_listed() {
  (($4 >= $3)) || { echo "bench.sh: $1 listed $4 of the $3 $(plural "$2") added" >&2; exit 1; }
}

# The netlink namespace: a veth pair nb0/nb1, both up, and the ip -batch files for COUNT objects.
netlink_namespace() {
  local count=$1 i
  ip netns add "$NETNS"
  ip -n "$NETNS" link add nb0 type veth peer name nb1
  ip -n "$NETNS" link set nb1 up
  ip -n "$NETNS" link set nb0 up
  for ((i = 0; i < count; i++)); do echo "address add $(nth_ip 1 "$i")/32 dev nb0"; done >"$WORK/address.$count.batch"
  for ((i = 0; i < count; i++)); do echo "route add $(nth_ip 100 "$i")/32 dev nb0"; done >"$WORK/route.$count.batch"
}

flush() {
  ip -n "$NETNS" address flush dev nb0
  ip -n "$NETNS" route flush dev nb0
}

# One round: each ADDERS method adds COUNT objects of KIND; after ip-batch's (the objects are there then) each
# LISTERS method lists them; a flush after each adder. netlink_round KIND COUNT "ADDERS" "LISTERS"
netlink_round() {
  local kind=$1 count=$2 method
  for method in $3; do
    netlink_method "$method" "$kind" "$count"
    if [[ $method == ip-batch ]]; then
      local lister
      for lister in $4; do netlink_method "$lister" "$kind" "$count"; done
    fi
    flush
  done
}

bench_netlink() {
  say "4/5 netlink: $N addresses and routes, ours vs iproute2 ($NETLINK_REPS reps; $IP_EACH_REPS for $N separate ip runs)"
  netlink_namespace "$N"
  local kind rep
  for kind in address route; do
    for ((rep = 0; rep < NETLINK_REPS; rep++)); do
      netlink_round "$kind" "$N" "ours-each ours-batch ip-batch" "ours-list ip-list ip-list-json"
      if ((rep < IP_EACH_REPS)); then netlink_method ip-each "$kind" "$N"; flush; fi
    done
  done
  "$NETLINK_BENCH" "/run/netns/$NETNS" nb0 open-request "$OPEN_SAMPLES" >"$WORK/open.inproc"
  hyperfine -N --style none --warmup 10 --runs 200 --export-json "$WORK/open.json" \
    -n ours "$NETLINK_BENCH /run/netns/$NETNS nb0 open-request 1" -n ip "ip -n $NETNS link show dev nb0" \
    >/dev/null 2>>"$WORK/hyperfine.log"
  ip netns del "$NETNS"

  echo "## 4. Netlink: $N objects on a veth in a throwaway namespace"
  echo
  echo "| operation | tool | median | p90 | min – max | runs | notes |"
  echo "|---|---|---|---|---|---|---|"
  for kind in address route; do
    netlink_row "$N" "add $N $(plural "$kind")" "$kind" ours-batch "**ours, CreateBatch**" "in process, open→close; one sendmsg per 256 requests, then all ACKs"
    netlink_row "$N" "" "$kind" ours-batch "ours, CreateBatch" "whole NetlinkBench process, exec→exit" wall
    netlink_row "$N" "" "$kind" ours-each "**ours, one by one**" "in process, open→close; one request+ACK at a time"
    netlink_row "$N" "" "$kind" ours-each "ours, one by one" "whole NetlinkBench process, exec→exit" wall
    netlink_row "$N" "" "$kind" ip-batch "ip -batch" "one ip process, one request+ACK per line" wall
    netlink_row "$N" "" "$kind" ip-each "$N × ip" "$N ip processes from a bash loop" wall
    netlink_row "$N" "list $N $(plural "$kind")" "$kind" ours-list "**ours, List$(plural "${kind^}")**" "in process, open→dump→close" inproc
    netlink_row "$N" "" "$kind" ours-list "ours" "whole process" wall
    netlink_row "$N" "" "$kind" ip-list "ip $kind show" "whole process, text to /dev/null" wall
    netlink_row "$N" "" "$kind" ip-list-json "ip -j $kind show" "whole process, JSON to /dev/null" wall
  done
  printf '| open + 1 request | **ours, in process** | %s | %s | %s – %s | %s | OpenInNamespace + GetLink + Dispose, repeated in one process |\n' $(stats <"$WORK/open.inproc")
  for name in ours ip; do
    printf '| | %s | %s | %s | %s – %s | %s | %s |\n' \
      "$([[ $name == ours ]] && echo "ours, whole process" || echo "ip link show")" \
      $(jq -r --arg name "$name" '.results[] | select(.command == $name) | .times[] * 1000' "$WORK/open.json" | stats) \
      "$([[ $name == ours ]] && echo "NetlinkBench exec→exit (NativeAOT, dynamic)" || echo "ip -n NS link show dev nb0 > /dev/null")"
  done
  cat <<EOF

How: \`ip netns add\`, a veth pair nb0/nb1 inside it (both up), deleted at the end. Addresses are
10.200.1.1/32 … (250 per /24), routes 10.200.100.1/32 … dev nb0 (scope link), the same objects for
every tool (\`ip -batch\` gets "address add 10.200.1.1/32 dev nb0" lines). Between runs everything
is flushed with \`ip\` (not timed). $NETLINK_REPS interleaved reps per method ($IP_EACH_REPS for $N separate ip runs).
"In process" is the library's own time (Stopwatch, from before OpenInNamespace — which enters the
namespace on a short-lived thread to create the socket — to after Dispose), in a NativeAOT build of
tests/Benchmarks/NetlinkBench. "Whole process" is wall time from bash (\$EPOCHREALTIME) and includes
exec, the .NET runtime's start-up, the namespace switch, the first Console write and exit — the same
kind of work \`ip -n\` does (exec, setns, printing, exit).
Batching needs one round trip per 256 requests instead of one per request; the kernel's work per
address (and the notifications it sends) is the same either way.

EOF
}

publish_netlink_bench() {
  say "publishing tests/Benchmarks/NetlinkBench (NativeAOT) and building GoNetlinkBench (vishvananda/netlink)"
  dotnet publish tests/Benchmarks/NetlinkBench/NetlinkBench.csproj -c Release -r linux-x64 -o "$WORK/bench" \
    -p:DebugType=none -nologo -v quiet >/dev/null
  # Debian's packaged library, nothing downloaded: GOPATH mode over /usr/share/gocode.
  GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE="$WORK/gocache" \
    go build -o "$GO_NETLINK_BENCH" ./tests/Benchmarks/GoNetlinkBench
}

# --- 4b. netlink at 10,000 objects, beside vishvananda/netlink and ip -batch ------------------------------
bench_netlink_big() {
  say "4b netlink: $BIG_N routes and addresses, ours vs vishvananda/netlink vs ip -batch ($BIG_REPS reps)"
  netlink_namespace "$BIG_N"
  local kind rep
  for kind in route address; do
    for ((rep = 0; rep < BIG_REPS; rep++)); do
      netlink_round "$kind" "$BIG_N" "ours-batch ours-each go-each ip-batch" "ours-list go-list ip-list"
    done
  done
  ip netns del "$NETNS"

  echo "## 4b. Netlink at $BIG_N objects: ours, vishvananda/netlink (Go), ip -batch"
  echo
  echo "| operation | tool | median | p90 | min – max | runs | notes |"
  echo "|---|---|---|---|---|---|---|"
  for kind in route address; do
    netlink_row "$BIG_N" "add $BIG_N $(plural "$kind")" "$kind" ours-batch "**ours, CreateBatch**" "in process, open→close; one sendmsg per 256 requests"
    netlink_row "$BIG_N" "" "$kind" ours-each "**ours, one by one**" "in process, open→close; one request+ACK at a time"
    netlink_row "$BIG_N" "" "$kind" go-each "vishvananda/netlink" "in process, open→close; one request+ACK at a time (it has no batch API)"
    netlink_row "$BIG_N" "" "$kind" ip-batch "ip -batch" "whole process, one request+ACK per line" wall
    netlink_row "$BIG_N" "" "$kind" ours-batch "ours, CreateBatch" "whole NetlinkBench process (NativeAOT), exec→exit" wall
    netlink_row "$BIG_N" "" "$kind" go-each "vishvananda/netlink" "whole GoNetlinkBench process, exec→exit" wall
    netlink_row "$BIG_N" "list $BIG_N $(plural "$kind")" "$kind" ours-list "**ours, List$(plural "${kind^}")**" "in process, open→dump→close"
    netlink_row "$BIG_N" "" "$kind" go-list "vishvananda/netlink, $([[ $kind == route ]] && echo RouteList || echo AddrList)" "in process, open→dump→close"
    netlink_row "$BIG_N" "" "$kind" ip-list "ip $kind show" "whole process, text to /dev/null" wall
  done
  cat <<EOF

How: as section 4 (the same namespace, objects and flushes), with $BIG_N of each and $BIG_REPS interleaved reps.
The Go comparator (tests/Benchmarks/GoNetlinkBench: Debian's golang-github-vishvananda-netlink-dev
$(dpkg-query -W -f '${Version}' golang-github-vishvananda-netlink-dev), $(go version | cut -d' ' -f3)) times the same work from before
\`netns.GetFromPath\` to after \`Handle.Delete\`: NewHandleAt, LinkByName, then one AddrAdd / RouteAdd (scope link)
per object, or AddrList(link, FAMILY_ALL) / RouteList(nil, FAMILY_V4). vishvananda's AddrList dumps every
address of the namespace and filters in Go; ours has the kernel filter by link (strict checking).

EOF
}

# netlink_row COUNT OPERATION KIND METHOD TOOL NOTES [wall|inproc]: the default is inproc where it exists.
netlink_row() {
  local count=$1 operation=$2 kind=$3 method=$4 tool=$5 notes=$6 which=${7:-inproc}
  local file="$WORK/nl$count.$kind.$method.$which"
  [[ -f $file ]] || file="$WORK/nl$count.$kind.$method.wall"
  printf '| %s | %s | %s | %s | %s – %s | %s | %s |\n' "$operation" "$tool" $(stats <"$file") "$notes"
}

# --- 5. docker stop -----------------------------------------------------------------------------------
# The private dockerd (tests/lib/dockerd.sh), here with no bridge at all (--bridge none).
source tests/lib/dockerd.sh
DOCKER_DIR=/var/tmp/init-bench-docker
DOCKERD_STARTED=""
start_dockerd() {
  DOCKERD_STARTED=1
  DOCKERD_WAIT=10 dockerd_start "$DOCKER_DIR" --bridge none
}
stop_dockerd() {
  [[ -n $DOCKERD_STARTED ]] || return 0
  docker rm -f bench-stop >/dev/null 2>&1 || true
  dockerd_stop "$DOCKER_DIR"
  DOCKERD_STARTED=""
}

# Prints the milliseconds `docker stop` takes for a running `sleep 1000` under the given `docker run` arguments.
docker_stop_run() {
  docker run -d --name bench-stop --network none "$@" >/dev/null
  until [[ $(docker inspect -f '{{.State.Running}}' bench-stop 2>/dev/null) == true ]]; do sleep 0.05; done
  sleep 0.2 # the init has spawned its workload
  local t0=$EPOCHREALTIME t1 status
  docker stop -t 10 bench-stop >/dev/null
  t1=$EPOCHREALTIME
  status=$(docker inspect -f '{{.State.ExitCode}}' bench-stop)
  docker rm bench-stop >/dev/null
  awk -v a="$t0" -v b="$t1" -v s="$status" 'BEGIN { printf "%.1f %d\n", (b - a) * 1000, s }'
}

bench_docker() {
  say "5/5 docker stop ($DOCKER_RUNS runs each)"
  echo "## 5. docker stop"
  echo
  if ((DOCKER_RUNS == 0)); then
    echo "Skipped (DOCKER_RUNS=0)."
    echo
    return
  fi
  deps_docker
  if ! start_dockerd; then
    echo "Skipped: the private dockerd did not answer within 10 s (see $DOCKER_DIR/dockerd.log)."
    echo
    stop_dockerd
    return
  fi
  mkdir -p "$WORK/image/sbin" "$WORK/image/bin"
  cp out/init "$WORK/image/sbin/init"
  cp "$BUSYBOX" "$WORK/image/bin/busybox"
  printf 'FROM scratch\nCOPY sbin /sbin\nCOPY bin /bin\n' >"$WORK/image/Dockerfile"
  docker build -q -t local/init-bench "$WORK/image" >/dev/null 2>>"$WORK/docker.log"
  local i
  for ((i = 0; i < DOCKER_RUNS; i++)); do
    docker_stop_run --entrypoint /sbin/init local/init-bench /bin/busybox sleep 1000 >>"$WORK/docker.ours"
    docker_stop_run --init local/init-bench /bin/busybox sleep 1000 >>"$WORK/docker.tini"
  done
  stop_dockerd
  echo "| init | median | p90 | min – max | runs | exit status |"
  echo "|---|---|---|---|---|---|"
  cut -d' ' -f1 "$WORK/docker.ours" | stats | row "**init (ours)**, ENTRYPOINT" "$(cut -d' ' -f2 "$WORK/docker.ours" | sort -u | paste -sd/)"
  cut -d' ' -f1 "$WORK/docker.tini" | stats | row "docker run --init (docker-init = tini-static $(docker-init --version | cut -d' ' -f3))" "$(cut -d' ' -f2 "$WORK/docker.tini" | sort -u | paste -sd/)"
  cat <<EOF

How: a private dockerd (--bridge none, no iptables), an image FROM scratch with out/init and
busybox-static; \`docker run -d --network none\` of \`busybox sleep 1000\` under each init, 0.2 s after it
runs \`docker stop -t 10\` is timed (bash \$EPOCHREALTIME around the client; most of it is docker's own
round trips). Interleaved, $DOCKER_RUNS runs each. For scale: without any init, \`sleep\` as PID 1 ignores TERM
and \`docker stop -t 3\` takes the full 3 s and exits 137.

EOF
}

deps_docker() {
  dpkg -s docker.io >/dev/null 2>&1 && return
  say "installing docker.io"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
}

# Every contender runs with a container's environment, the three variables docker gives (PATH, HOSTNAME, HOME): the
# .NET runtime looks up ~100 settings with getenv at start, each a scan of the whole environment, so a login shell's
# 50 variables add ~60 K instructions to every start and the counts would depend on who runs the bench.
container_environment() {
  local name
  for name in $(compgen -e); do export -n "$name"; done # the values stay for this script, its children lose them
  export PATH HOSTNAME=bench HOME=/root
}

main() {
  [[ -x out/init ]] || { echo "bench.sh: out/init is missing; run ./build.sh bench" >&2; exit 1; }
  deps
  container_environment
  if [[ ${1:-} == footprint ]]; then # section 0 alone (~1 min), to measure one change at a time
    { machine_facts; bench_footprint; } >"$WORK/bench.md"
    cp "$WORK/bench.md" out/bench-footprint.md
    cat out/bench-footprint.md
    return
  fi
  if [[ ${1:-} == netlink ]]; then # sections 4 and 4b alone (~2 min)
    publish_netlink_bench
    { machine_facts; bench_netlink; bench_netlink_big; } >"$WORK/bench.md"
    cp "$WORK/bench.md" out/bench-netlink.md
    cat out/bench-netlink.md
    return
  fi
  publish_netlink_bench # first: a build failure should not cost the minutes of measuring before it
  local started=$SECONDS
  {
    machine_facts
    bench_footprint
    bench_startup
    bench_memory
    bench_signals
    bench_stop_during_setup
    bench_netlink
    bench_netlink_big
    bench_docker
    echo "Whole run: $((SECONDS - started)) s; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
  } >"$WORK/bench.md"
  cp "$WORK/bench.md" "$REPORT"
  cat "$REPORT"
}

main "$@"
