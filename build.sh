#!/usr/bin/env bash
# The one script: ./build.sh [build|test|unit|demo|vm-demo|image|bench] [--arch x64|arm64|all]. Idempotent; installs
# what a fresh machine lacks. --arch (build only): x64, the host, is out/init; arm64 is out/arm64/init, cross-compiled.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*" >&2; }

# --- dependencies -----------------------------------------------------------------------------------
# The image's toolbox: Debian's busybox-static; Dockerfile's SDK stage (Ubuntu) passes Debian's in BUSYBOX instead.
BUSYBOX=${BUSYBOX:-/bin/busybox}
BUILD_PACKAGES=(gcc libc6-dev binutils file)
[[ $BUSYBOX != /bin/busybox ]] || BUILD_PACKAGES+=(busybox-static)
# linux-arm64 from this x64 machine: Debian's cross gcc/binutils/libc; qemu-user runs it (tests, busybox --list).
ARM64_PACKAGES=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static)
# debootstrap, git: Dockerfile's from-source build from a fresh clone, on stand-in base images (tests/Init.Tests/Image).
TEST_PACKAGES=(iproute2 util-linux strace docker.io debootstrap git)
# podman run --init --init-path out/init (tests/Init.Tests/Harness/Podman.cs); runc, not crun, runs its containers.
TEST_PACKAGES+=(podman conmon runc containernetworking-plugins)
# The VM tests and vm-demo boot Debian's kernel under QEMU (tests/Init.Tests/VirtualMachine/vm-image.sh).
VM_PACKAGES=(linux-image-amd64 qemu-system-x86 cpio kmod xz-utils iproute2)
deps() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || { echo "build.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
}

# --- build: out/init (static NativeAOT) and out/image (the scratch image's files); arm64 under out/arm64/ --------
build() {
  case "$ARCH" in
    x64) build_x64 ;;
    arm64) build_arm64 ;;
    all) build_x64; build_arm64 ;;
    *) echo "build.sh: --arch $ARCH: x64, arm64 or all" >&2; exit 2 ;;
  esac
}

build_x64() {
  deps "${BUILD_PACKAGES[@]}"
  publish linux-x64 out
  assemble_image_root out "$BUSYBOX"
}

# Cross-compiled with Debian's aarch64 gcc (init/Init.csproj); the toolbox is Debian's busybox-static for arm64.
build_arm64() {
  deps "${BUILD_PACKAGES[@]}" "${ARM64_PACKAGES[@]}"
  publish linux-arm64 out/arm64
  fetch_arm64_busybox out/arm64/busybox
  assemble_image_root out/arm64 out/arm64/busybox qemu-aarch64-static
}

# publish RID DIR: DIR/init, static (file(1) checks it), stripped.
publish() {
  # The commit `init --version` names (docker info shows it): INIT_COMMIT if given (Dockerfile's build-arg: the
  # from-source build copies no .git), else the checkout's, else "unknown".
  local commit=${INIT_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
  say "publishing $2/init ($1, commit $commit)"
  dotnet publish init/Init.csproj -c Release -r "$1" -o "$2" -p:DebugType=none -p:StripSymbols=true -p:InitCommit="$commit" \
    -nologo -v quiet \
    | { grep -v "Using '.*' in statically linked" || true; }
  file "$2/init" | grep -q "statically linked" || { file "$2/init"; echo "build.sh: $2/init is not static" >&2; exit 1; }
  printf '%s/init: %s bytes, %s\n' "$2" "$(stat -c %s "$2/init")" "$(file -b "$2/init" | cut -d, -f1-4)"
}

# Debian's busybox-static:arm64 from the mirror (arm64 added as a foreign architecture: apt then lists its
# packages; nothing arm64 is installed), unpacked with dpkg -x. Kept once fetched.
fetch_arm64_busybox() {
  [[ -x $1 ]] && return
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    say "adding arm64 as a foreign architecture (apt-get download busybox-static:arm64)"
    dpkg --add-architecture arm64
    apt-get update -qq
  fi
  local dir
  dir=$(mktemp -d)
  # As root, into a root-only temporary directory (apt's _apt sandbox user could not write there).
  (cd "$dir" && apt-get download -qq -o APT::Sandbox::User=root busybox-static:arm64 >/dev/null)
  dpkg -x "$dir"/busybox-static_*_arm64.deb "$dir/root"
  cp "$dir/root/bin/busybox" "$1"
  rm -rf "$dir"
}

# assemble_image_root DIR BUSYBOX [RUNNER]: DIR/image/ is /sbin/init + BUSYBOX with its applets linked in /bin
# (rootfs/ is added by the Dockerfiles); RUNNER runs a foreign BUSYBOX to list them.
assemble_image_root() {
  local root=$1/image
  rm -rf "$root" && mkdir -p "$root/sbin" "$root/bin"
  cp "$1/init" "$root/sbin/init"
  cp "$2" "$root/bin/busybox"
  for applet in $(${3:-} "$2" --list); do
    [[ $applet == busybox || $applet == init ]] || ln -s busybox "$root/bin/$applet"
  done
}

# --- the private dockerd (tests/lib/dockerd.sh: own roots and socket, no iptables, stopped by its PID) --------
# Sourced only here: the Dockerfile's build stage copies build.sh without tests/.
DOCKER_DIR=/var/tmp/init-build-docker
start_dockerd() {
  source tests/lib/dockerd.sh
  trap 'dockerd_stop "$DOCKER_DIR"' EXIT
  dockerd_start "$DOCKER_DIR" --bip 10.200.250.1/24 || exit 1
}

# Both platforms: local/init (linux/amd64, out/image) and local/init:arm64 (linux/arm64, out/arm64/image).
IMAGE=local/init
image() {
  ARCH=all build
  deps docker.io
  start_dockerd
  image_for linux/amd64 out/image "$IMAGE" out/init-image.tar
  image_for linux/arm64 out/arm64/image "$IMAGE:arm64" out/arm64/init-image.tar
}

# image_for PLATFORM IMAGE_ROOT TAG TAR
image_for() {
  say "building image $3 for $1 (Dockerfile.prebuilt: $2 + rootfs/)"
  # BuildKit (Debian's 20.10 client, as tests/Init.Tests/Image does): the legacy builder records FROM scratch's
  # steps as the daemon's platform and then refuses its own intermediate image as not linux/arm64.
  DOCKER_BUILDKIT=1 /usr/bin/docker build -q --platform "$1" --build-arg IMAGE_ROOT="$2" -f Dockerfile.prebuilt -t "$3" . >/dev/null
  docker save "$3" -o "$4"
  say "image $3 saved to $4 ($(stat -c %s "$4") bytes): docker load -i $4"
}

# run_tests NAME PROJECT [dotnet test options]: adds to passed/failed/skipped/status.
run_tests() {
  local name=$1 project=$2 log
  shift 2
  log=$(mktemp)
  say "testing $name"
  dotnet test "$project" -c Release -nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" | grep -E '^  (Failed|Skipped) | error |^Total tests|^ +(Passed|Failed|Skipped): ' || true
  # vstest's closing block: "Total tests: N" then "Passed: N", "Failed: N", "Skipped: N" lines.
  if ! grep -qE '^Total tests: [0-9]+' "$log"; then
    echo "build.sh: $name produced no test summary (crash or build error)" >&2
    failed=$((failed + 1)); status=1
  else
    passed=$((passed + $(count Passed "$log")))
    failed=$((failed + $(count Failed "$log")))
    skipped=$((skipped + $(count Skipped "$log")))
    grep -q '^Test Run Successful' "$log" || status=1
  fi
  rm -f "$log"
}

count() { grep -E "^ +$1: +[0-9]+\$" "$2" | tail -1 | grep -oE '[0-9]+' || echo 0; }

# --- demo: the image's own default, seen from inside a real container ---------------------------------
demo() {
  image
  say "the demo's spec (demo/network.toml), as the init plans it: init --check"
  docker run --rm -v "$PWD/demo/network.toml:/etc/init/network.toml:ro" --entrypoint /sbin/init "$IMAGE" --check
  say "docker run -i --rm --cap-add NET_ADMIN --hostname demo-1 -v demo/network.toml:/etc/init/network.toml $IMAGE sh -s < demo/inside.sh"
  local status=0
  docker run -i --rm --cap-add NET_ADMIN --hostname demo-1 --sysctl net.ipv6.conf.all.disable_ipv6=0 -e INIT_LOG=info \
    -v "$PWD/demo/network.toml:/etc/init/network.toml:ro" "$IMAGE" sh -s <demo/inside.sh || status=$?
  say "container exited with status $status (the workload's)"
}

# --- vm-demo: the init as PID 1 of a real kernel (QEMU, TCG), its NIC a tap in a throwaway namespace -------
vm_demo() {
  build
  deps "${VM_PACKAGES[@]}"
  local dir ns=init-vm-demo status=0
  dir=$(mktemp -d)
  trap 'ip netns del '"$ns"' 2>/dev/null || true; rm -rf '"$dir" EXIT
  say "building vmlinux and the initramfs (demo/vm.toml as the spec, demo/vm-inside.sh as the workload)"
  tests/Init.Tests/VirtualMachine/vm-image.sh "$dir" demo/vm.toml demo/vm-inside.sh /etc/vm.toml
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"
  ip -n "$ns" tuntap add dev tap0 mode tap
  ip -n "$ns" addr add 10.200.239.1/24 dev tap0
  ip -n "$ns" link set tap0 up
  say "booting: qemu-system-x86_64 -M pc -accel tcg, kernel $(ls -v /boot/vmlinuz-* | tail -1), init.spec=/etc/vm.toml"
  ip netns exec "$ns" timeout 120 qemu-system-x86_64 -M pc -nodefaults -accel tcg -m 256 -display none \
    -kernel "$dir/vmlinux" -initrd "$dir/initramfs.cpio" -append 'console=ttyS0 panic=-1 quiet init.spec=/etc/vm.toml' \
    -serial stdio -no-reboot -device pvpanic -action panic=exit-failure \
    -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0 </dev/null || status=$?
  say "QEMU exited with status $status (0: the guest powered off; a panic would be 1)"
}

# --- test: every test project; ends with the plain line "N passed, N failed" ---------------------------
# The black-box PID-1 classes run a second time against out/arm64/init under qemu-user, less what emulation cannot
# do (docs/testing.md, "linux-arm64 under emulation", says why for each).
ARM64_TESTS=(Scenarios.ExitCodeScenarios Scenarios.SignalScenarios Scenarios.ReapingScenarios Scenarios.ShutdownScenarios
  Scenarios.TtyScenarios Privileges.Pid1PrivilegeTests Network.Pid1NetworkTests EndToEnd.Pid1SmokeTests
  Scenarios.CommandLineScenarios.MissingCommandIs127 Scenarios.CommandLineScenarios.CommandNotInPathIs127
  Scenarios.CommandLineScenarios.NotExecutableIs126 Scenarios.CommandLineScenarios.CommandIsLookedUpInPath)
ARM64_EMULATION_GAPS=(NotPid1 ABackgroundInit EveryCatchableSignal EveryExitCode0To255 CoalescedSigchld
  LeftoversGetTermAndTheGrace)
test_all() {
  ARCH=all build
  say "dotnet pack netlink/ -> out/packages/Netlink.<version>.nupkg"
  dotnet pack netlink/Netlink.csproj -c Release -nologo -o out/packages
  deps "${TEST_PACKAGES[@]}" "${VM_PACKAGES[@]}"
  passed=0 failed=0 skipped=0 status=0
  for project in tests/*/*.csproj; do
    run_tests "$(basename "$project" .csproj)" "$project"
  done
  local classes gaps
  classes=$(printf '|FullyQualifiedName~Init.Tests.%s' "${ARM64_TESTS[@]}")
  gaps=$(printf '&FullyQualifiedName!~%s' "${ARM64_EMULATION_GAPS[@]}")
  INIT_ARCH=arm64 run_tests "Init.Tests on linux-arm64 (qemu-user)" tests/Init.Tests/Init.Tests.csproj \
    --filter "(${classes:1})$gaps"
  ((failed == 0)) || status=1
  if ((skipped)); then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
  return $status
}

# --- unit: the tests that need nothing (no root, namespaces, docker, QEMU or out/init): seconds, anywhere -------
unit() {
  command -v dotnet >/dev/null || { echo "build.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
  for project in tests/Netlink.Tests/Netlink.Tests.csproj tests/Init.Tests/Init.Tests.csproj; do
    dotnet test "$project" -c Release -nologo --filter "Needs!=root"
  done
}

COMMAND=build ARCH=x64
while (($#)); do
  case "$1" in
    --arch) ARCH=${2:?--arch needs x64, arm64 or all}; shift 2 ;;
    --arch=*) ARCH=${1#--arch=}; shift ;;
    *) COMMAND=$1; shift ;;
  esac
done

case "$COMMAND" in
  build) build ;;
  test) test_all ;;
  unit) unit ;;
  image) image ;;
  demo) demo ;;
  vm-demo) vm_demo ;;
  bench) ARCH=all build; tests/Benchmarks/bench.sh ;;
  *) echo "usage: ./build.sh [build|test|unit|demo|vm-demo|image|bench] [--arch x64|arm64|all]" >&2; exit 2 ;;
esac
