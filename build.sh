#!/usr/bin/env bash
# The one script: ./build.sh [build|test|unit|demo|vm-demo|image|bench]. Idempotent; installs what a fresh machine lacks.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*" >&2; }

# --- dependencies -----------------------------------------------------------------------------------
# The image's toolbox: Debian's busybox-static; Dockerfile's SDK stage (Ubuntu) passes Debian's in BUSYBOX instead.
BUSYBOX=${BUSYBOX:-/bin/busybox}
BUILD_PACKAGES=(gcc libc6-dev binutils file)
[[ $BUSYBOX != /bin/busybox ]] || BUILD_PACKAGES+=(busybox-static)
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

# --- build: out/init (static NativeAOT) and out/image (the scratch image's files) ----------------------
build() {
  deps "${BUILD_PACKAGES[@]}"
  # The commit `init --version` names (docker info shows it): INIT_COMMIT if given (Dockerfile's build-arg: the
  # from-source build copies no .git), else the checkout's, else "unknown".
  local commit=${INIT_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
  say "publishing out/init (commit $commit)"
  dotnet publish init/Init.csproj -c Release -r linux-x64 -o out -p:DebugType=none -p:StripSymbols=true -p:InitCommit="$commit" -nologo -v quiet \
    | { grep -v "Using '.*' in statically linked" || true; }
  file out/init | grep -q "statically linked" || { file out/init; echo "build.sh: out/init is not static" >&2; exit 1; }
  assemble_image_root
  printf 'out/init: %s bytes, %s\n' "$(stat -c %s out/init)" "$(file -b out/init | cut -d, -f1-4)"
}

# out/image/: /sbin/init + $BUSYBOX with its applets linked in /bin (rootfs/ is added by the Dockerfiles).
assemble_image_root() {
  rm -rf out/image && mkdir -p out/image/sbin out/image/bin
  cp out/init out/image/sbin/init
  cp "$BUSYBOX" out/image/bin/busybox
  for applet in $("$BUSYBOX" --list); do
    [[ $applet == busybox || $applet == init ]] || ln -s busybox "out/image/bin/$applet"
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

IMAGE=local/init
image() {
  build
  deps docker.io
  start_dockerd
  say "building image $IMAGE (Dockerfile.prebuilt: out/image + rootfs/)"
  docker build -q -f Dockerfile.prebuilt -t "$IMAGE" . >/dev/null
  docker save "$IMAGE" -o out/init-image.tar
  say "image $IMAGE saved to out/init-image.tar ($(stat -c %s out/init-image.tar) bytes): docker load -i out/init-image.tar"
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
test_all() {
  build
  deps "${TEST_PACKAGES[@]}" "${VM_PACKAGES[@]}"
  local passed=0 failed=0 skipped=0 status=0
  for project in tests/*/*.csproj; do
    local name log
    name=$(basename "$project" .csproj)
    log=$(mktemp)
    say "testing $name"
    dotnet test "$project" -c Release -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" | grep -E '^  (Failed|Skipped) | error |^Total tests|^ +(Passed|Failed|Skipped): ' || true
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
  done
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

case "${1:-build}" in
  build) build ;;
  test) test_all ;;
  unit) unit ;;
  image) image ;;
  demo) demo ;;
  vm-demo) vm_demo ;;
  bench) build; tests/Benchmarks/bench.sh ;;
  *) echo "usage: ./build.sh [build|test|unit|demo|vm-demo|image|bench]" >&2; exit 2 ;;
esac
