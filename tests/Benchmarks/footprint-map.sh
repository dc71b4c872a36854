#!/usr/bin/env bash
# What the binary is made of and what its start costs, from a side build of init/ (out/footprint/; out/init is
# left alone): ./footprint-map.sh [summary]   the static bases the start allocates, managed code per assembly,
#                                            the sections, --version's instructions and where they go
#          ./footprint-map.sh why PATTERN [N] the chain of dependencies (ILC's graph) that brought each of the first
#                                            N nodes matching PATTERN into the binary
#          ./footprint-map.sh spec [RUNS]     (root) the full spec of bench.sh's footprint section over no spec:
#                                            instructions (callgrind, the least of RUNS runs: the threads make single
#                                            runs vary by ~5 %) and the functions that cost the most in the full run
# The side build keeps its symbols (callgrind names functions) and has ILC write its map and dependency graph;
# its code is the same as ./build.sh's. Needs valgrind (callgrind) and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$PWD/out/footprint
NATIVE=$OUT/obj/native
SPEC_NETNS=init-foot-map-$$

side_build() {
  rm -rf "$OUT"
  dotnet publish init/Init.csproj -c Release -r linux-x64 -o "$OUT/bin" -nologo -v quiet \
    -p:IntermediateOutputPath="$OUT/obj/" -p:StripSymbols=false -p:InitCommit=footprint \
    -p:IlcGenerateMapFile=true -p:IlcGenerateDgmlFile=true | { grep -v "Using '.*' in statically linked" || true; }
  # valgrind 3.19 cannot read the DWARF 5 the build emits; the symbol table is all it needs
  objcopy --strip-debug "$OUT/bin/init" "$OUT/init.syms"
  objcopy --strip-all "$OUT/bin/init" "$OUT/init.stripped"
}

summary() {
  local map=$NATIVE/init.map.xml
  echo "binary (stripped): $(stat -c %s "$OUT/init.stripped") B"
  size -A "$OUT/init.stripped" | awk '$1 != "Total" && $2 ~ /^[0-9]+$/ && $2 > 16384 { printf "  %-22s %9d\n", $1, $2 }'
  # Every GCStatics node is an object InitializeStatics allocates at start, one by one on the pinned heap.
  echo "static bases allocated at start: $(grep -c '<GCStatics ' "$map")"
  grep -o '<GCStatics Name="__GCSTATICS[^"]*"' "$map" | sed -E 's/.*__GCSTATICS//; s/&lt;.*//; s/"$//' |
    sort | uniq -c | sort -rn | awk 'NR <= 12' | sed 's/^/  /'
  echo "managed code by assembly (bytes, MethodCode nodes):"
  grep '<MethodCode ' "$map" | sed -E 's/.*Name="([^"]*)" Length="([0-9]+)".*/\2 \1/' |
    awk '{ n = $2; sub(/^(unbox_|__)/, "", n)
           if (n ~ /^S_P_/) { split(n, p, "_"); a = p[1] "_" p[2] "_" p[3] }
           else if (n ~ /^System_/) { split(n, p, "_"); a = p[1] "_" p[2] } else { split(n, p, "_"); a = p[1] }
           s[a] += $1 } END { for (a in s) printf "  %-28s %8d\n", a, s[a] }' | sort -k2 -rn | awk 'NR <= 12'
  # A container's environment, as bench.sh runs it: the runtime's getenv lookups scan the whole environment.
  env -i PATH="$PATH" HOSTNAME=bench HOME=/root \
    valgrind --tool=callgrind --callgrind-out-file="$OUT/version.callgrind" "$OUT/init.syms" --version 2>&1 >/dev/null |
    sed -n 's/.*Collected : /--version instructions: /p'
  # The runtime's start scans the mount table for its cgroups with sscanf: the table's length moves the total.
  echo "  (/proc/self/mountinfo here: $(wc -l </proc/self/mountinfo) lines; the cgroup lookup reads it line by line)"
  callgrind_annotate --inclusive=yes "$OUT/version.callgrind" 2>/dev/null |
    grep -E ':(main|RhInitialize|PalInit\(\)|GCConfig::Initialize\(\)|[A-Za-z_]*__InitializeStatics|__managed__Main|init_Init_Program__Run|[A-Za-z_]*__EnsureClassConstructorRun) \[' |
    sed -E 's/\?\?\?://; s/ \[.*//; s/S_P_CoreLib_[A-Za-z_]*__//' | sed 's/^/  /'
}

# The full spec (lo, eth0 with a v4 and a v6 address, two default routes) as PID 1 against no spec, in a throwaway
# namespace (eth0 a veth to a peer namespace, 10.200.0.0/16 and fd00:200::/32), reset before every run.
spec() {
  local runs=${1:-3} ns=$SPEC_NETNS mode run count best
  [[ -f $OUT/init.syms ]] || side_build
  trap 'ip netns del "$SPEC_NETNS" 2>/dev/null; ip netns del "$SPEC_NETNS-gw" 2>/dev/null' EXIT
  ip netns add "$ns"
  ip netns add "$ns-gw"
  ip -n "$ns-gw" link add gw0 type veth peer name eth0 netns "$ns"
  ip -n "$ns-gw" link set gw0 up
  printf '%s\n' 'version = 1' '[[interface]]' 'name = "eth0"' 'addresses = ["10.200.0.2/24", "fd00:200::2/64"]' \
    '[[interface.route]]' 'to = "default"' 'via = "10.200.0.1"' '[[interface.route]]' 'to = "default"' 'via = "fd00:200::1"' \
    >"$OUT/full.toml"
  declare -A least
  for mode in none full; do
    best=""
    for ((run = 0; run < runs; run++)); do
      # only ever inside the namespace made above: the host's links are never touched
      ip netns exec "$ns" sh -c '[ "$(ip netns identify)" = "$1" ] || exit 1
        ip link set eth0 down; ip address flush dev eth0; ip link set lo down; ip address flush dev lo' sh "$ns"
      count=$(ip netns exec "$ns" env -i PATH="$PATH" HOSTNAME=bench HOME=/root unshare --pid --fork --mount-proc valgrind --tool=callgrind \
        --callgrind-out-file="$OUT/spec-$mode-$run.callgrind" "$OUT/init.syms" \
        $([[ $mode == full ]] && echo "-s $OUT/full.toml") /bin/true 2>&1 | sed -n 's/.*Collected : //p')
      if [[ -z $best || $count -lt $best ]]; then best=$count; cp "$OUT/spec-$mode-$run.callgrind" "$OUT/spec-$mode.callgrind"; fi
    done
    least[$mode]=$best
  done
  echo "no spec: ${least[none]} instructions; full spec: ${least[full]}; full over no spec: $((least[full] - least[none]))"
  callgrind_annotate --inclusive=yes "$OUT/spec-full.callgrind" 2>/dev/null |
    grep -E ':(init_Init_Spec_SpecLoader__(Parse|Validate)|init_Init_Plan_PlanExecutor__Apply|init_Init_Plan_Planner__Plan|Netlink_Netlink_[A-Za-z_]*__(OpenIn|Execute|ExecuteBatch|Dump|ListRoutes|ListAddresses|GetLink)|RhpInitialInterfaceDispatch|RhpGcAlloc|[A-Za-z_]*__EnsureClassConstructorRun) \[' |
    sed -E 's/\?\?\?://; s/ \[.*//' | sed 's/^/  /'
}

case ${1:-summary} in
  summary) side_build; summary ;;
  spec) spec "${2:-3}" ;;
  why)
    [[ -f $NATIVE/init.codegen.dgml.xml ]] || side_build
    python3 - "$NATIVE/init.codegen.dgml.xml" "$2" "${3:-2}" <<'PY'
import collections, re, sys
graph, pattern, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
label, parents = {}, collections.defaultdict(list)
for line in open(graph, encoding='utf-8-sig'):
    if m := re.search(r'<Node Id="(\d+)" Label="([^"]*)"', line):
        label[m[1]] = m[2].replace('&lt;', '<').replace('&gt;', '>').replace('&amp;', '&')
    elif m := re.search(r'<Link Source="(\d+)" Target="(\d+)" Reason="([^"]*)"', line):
        parents[m[2]].append((m[1], m[3]))
hits = [n for n, text in label.items() if pattern in text]
print(f'{len(hits)} nodes match {pattern!r}')
for target in hits[:limit]:
    # breadth-first towards the roots: the shortest chain of reasons
    back, queue, root = {target: None}, collections.deque([target]), target
    while queue:
        root = queue.popleft()
        if not parents[root]: break
        for parent, why in parents[root]:
            if parent not in back: back[parent] = (root, why); queue.append(parent)
    print(label[root])
    node = root
    while back[node]:
        node, why = back[node]; print(f'  --{why}--> {label[node]}')
    print()
PY
    ;;
  *) echo "usage: $0 [summary | why PATTERN [N]]" >&2; exit 2 ;;
esac
