#!/usr/bin/env bash
# What the binary is made of and what its start costs, from a side build of init/ (out/footprint/; out/init is
# left alone): ./footprint-map.sh [summary]   the static bases the start allocates, managed code per assembly,
#                                            the sections, --version's instructions and where they go
#          ./footprint-map.sh why PATTERN [N] the chain of dependencies (ILC's graph) that brought each of the first
#                                            N nodes matching PATTERN into the binary
# The side build keeps its symbols (callgrind names functions) and has ILC write its map and dependency graph;
# its code is the same as ./build.sh's. Needs valgrind (callgrind) and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$PWD/out/footprint
NATIVE=$OUT/obj/native

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
  valgrind --tool=callgrind --callgrind-out-file="$OUT/version.callgrind" "$OUT/init.syms" --version 2>&1 >/dev/null |
    sed -n 's/.*Collected : /--version instructions: /p'
  callgrind_annotate --inclusive=yes "$OUT/version.callgrind" 2>/dev/null |
    grep -E ':(main|RhInitialize|PalInit\(\)|GCConfig::Initialize\(\)|[A-Za-z_]*__InitializeStatics|__managed__Main|init_Init_Program__Run|[A-Za-z_]*__EnsureClassConstructorRun) \[' |
    sed -E 's/\?\?\?://; s/ \[.*//; s/S_P_CoreLib_[A-Za-z_]*__//' | sed 's/^/  /'
}

case ${1:-summary} in
  summary) side_build; summary ;;
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
