#!/usr/bin/env bash
# What a VM test (and ./build.sh vm-demo) boots, from Debian's linux-image-amd64 and busybox-static:
#   OUTDIR/vmlinux         the uncompressed kernel inside /boot/vmlinuz-* (QEMU boots it through its PVH entry,
#                          skipping the bzImage's own decompression: seconds under TCG); cached per kernel version
#   OUTDIR/initramfs.cpio  uncompressed newc cpio: /init (out/init), /dev/console, busybox and its applets in /bin,
#                          the virtio-net, ACPI button and evdev modules in /lib/modules (plain .ko), SPEC at SPEC_PATH (default
#                          /etc/init/network.toml, the init's default), WORKLOAD as /workload.sh; and /newroot, a
#                          second root for switch_root (busybox hardlinked, the workload, /etc/new-root)
# In SPEC, @MODULES@ is replaced by the TOML array of the module paths, in load order (modinfo -F depends).
# usage: vm-image.sh OUTDIR SPEC WORKLOAD [SPEC_PATH]
set -euo pipefail
out=$1 spec=$2 workload=$3 spec_path=${4:-/etc/init/network.toml}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
vmlinuz=$(ls -v /boot/vmlinuz-* | tail -1)
version=${vmlinuz#/boot/vmlinuz-}
modules=/lib/modules/$version
mkdir -p "$out"

# The kernel's scripts/extract-vmlinux: find a compressed payload by its magic (bash strings hold no NUL, so
# the magics stop short of one), decompress, keep the first ELF.
extract_vmlinux() {
  local cache=/var/tmp/init-vm/vmlinux-$version
  if [[ ! -s $cache ]]; then
    mkdir -p "${cache%/*}"
    local magic tool offset
    for pair in $'\xfd7zXZ:xz -dc' $'\x1f\x8b\x08:gzip -dc' $'\x28\xb5\x2f\xfd:zstd -dc'; do
      magic=${pair%%:*} tool=${pair#*:}
      for offset in $(LC_ALL=C grep -aboF "$magic" "$vmlinuz" | cut -d: -f1); do
        tail -c +$((offset + 1)) "$vmlinuz" | $tool >"$cache.tmp" 2>/dev/null || true
        if [[ $(head -c 4 "$cache.tmp" | od -An -tx1 | tr -d ' ') == 7f454c46 ]]; then
          mv "$cache.tmp" "$cache"
          break 2
        fi
      done
    done
    rm -f "$cache.tmp"
    [[ -s $cache ]] || { echo "vm-image.sh: no vmlinux found in $vmlinuz" >&2; exit 1; }
  fi
  cp "$cache" "$out/vmlinux"
}

# Dependencies first, each module once.
declare -a ordered=()
add_module() {
  local name=$1 file dep
  for done in "${ordered[@]}"; do [[ ${done##*/} == "$name.ko" ]] && return; done
  file=$(modinfo -n -k "$version" "$name")
  for dep in $(modinfo -F depends "$file" | tr ',' ' '); do add_module "$dep"; done
  ordered+=("$file")
}

extract_vmlinux
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,etc/init,lib/modules,proc,sys,run,tmp,root} "$stage"/newroot/{bin,etc}
cp "$repo/out/init" "$stage/init"
cp /bin/busybox "$stage/bin/busybox"
ln "$stage/bin/busybox" "$stage/newroot/bin/busybox"
for applet in $(/bin/busybox --list); do
  [[ $applet == busybox || $applet == init ]] || { ln -s busybox "$stage/bin/$applet"; ln -s busybox "$stage/newroot/bin/$applet"; }
done
mknod -m 600 "$stage/dev/console" c 5 1
add_module virtio_pci
add_module virtio_net
add_module button # the ACPI power button, seen by the init through evdev
add_module evdev
paths=()
for file in "${ordered[@]}"; do
  cp "$file" "$stage/lib/modules/"
  paths+=("\"/lib/modules/${file##*/}\"")
done
list=$(IFS=,; echo "[${paths[*]}]")
mkdir -p "$stage$(dirname "$spec_path")"
sed "s|@MODULES@|${list//,/, }|" "$spec" >"$stage$spec_path"
cp "$workload" "$stage/workload.sh"
cp "$workload" "$stage/newroot/workload.sh"
echo "the new root" >"$stage/newroot/etc/new-root"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out/initramfs.cpio"
