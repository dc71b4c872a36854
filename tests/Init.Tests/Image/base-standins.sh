#!/usr/bin/env bash
# Stand-ins for the Dockerfile's base images, which this test machine cannot pull (no registry is reachable):
#   SDK_IMAGE     the official .NET SDK image: here Debian bookworm (minbase) + the machine's own .NET SDK in
#                 /usr/share/dotnet with the official image's environment. The real one is Ubuntu; Ubuntu's
#                 archive is not reachable from here, Debian's is.
#   DEBIAN_IMAGE  debian:bookworm-slim: the same root filesystem without the SDK.
# Both carry the machine's extra CA certificates (/usr/local/share/ca-certificates): this network re-signs TLS,
# which is a property of this test machine, not of the product (NuGet inside the build needs them).
# The root filesystem is debootstrapped once and cached under /var/tmp/init-standin; the SDK tarball is rebuilt
# when the machine's SDK version changes. Imports both into the daemon at $DOCKER_HOST.
# usage: base-standins.sh SDK_IMAGE DEBIAN_IMAGE
set -euo pipefail
sdk_image=$1 debian_image=$2
cache=/var/tmp/init-standin
mirror=http://deb.debian.org/debian   # the mirror this machine's apt uses, and the official Debian images'
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
sdk_version=$(dotnet --version)
runtime_version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" {print $2}' | sort -V | tail -1)
aspnet_version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" {print $2}' | sort -V | tail -1)

mkdir -p "$cache"
exec 9>"$cache/lock"   # one writer at a time: several worktrees share the cache
flock 9

rootfs=$cache/rootfs
if [[ ! -f $cache/rootfs.tar ]]; then
  rm -rf "$rootfs"
  # minbase + what the official runtime-deps image adds (ca-certificates, ICU, OpenSSL, zlib, tzdata, libstdc++).
  debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,zlib1g,tzdata,libstdc++6,libgcc-s1 \
    bookworm "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$rootfs" update-ca-certificates >/dev/null
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" --numeric-owner -cf "$cache/rootfs.tar.part" .
  mv "$cache/rootfs.tar.part" "$cache/rootfs.tar"
  rm -rf "$rootfs"
fi

sdk_tar=$cache/sdk-$sdk_version.tar
if [[ ! -f $sdk_tar ]]; then
  rm -f "$cache"/sdk-*.tar
  extra=$(mktemp -d)
  mkdir -p "$extra/usr/bin" && ln -s /usr/share/dotnet/dotnet "$extra/usr/bin/dotnet"   # as the official image
  cp "$cache/rootfs.tar" "$sdk_tar.part"
  tar -C "$extra" --numeric-owner -rf "$sdk_tar.part" ./usr/bin/dotnet
  tar -C "$dotnet_root" --numeric-owner --transform 's|^\.|./usr/share/dotnet|' -rf "$sdk_tar.part" .
  rm -rf "$extra"
  mv "$sdk_tar.part" "$sdk_tar"
fi

path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
docker import --change "ENV PATH=$path" --change 'CMD ["bash"]' "$cache/rootfs.tar" "$debian_image" >/dev/null
# The environment of mcr.microsoft.com/dotnet/sdk (runtime-deps, runtime, aspnet and sdk layers).
docker import \
  --change "ENV PATH=$path:/usr/share/dotnet" \
  --change 'ENV APP_UID=1654' --change 'ENV ASPNETCORE_HTTP_PORTS=8080' --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
  --change "ENV DOTNET_VERSION=$runtime_version" --change "ENV ASPNET_VERSION=$aspnet_version" \
  --change 'ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false' --change 'ENV DOTNET_NOLOGO=true' \
  --change "ENV DOTNET_SDK_VERSION=$sdk_version" --change 'ENV DOTNET_USE_POLLING_FILE_WATCHER=true' \
  --change 'ENV NUGET_XMLDOC_MODE=skip' --change 'CMD ["bash"]' \
  "$sdk_tar" "$sdk_image" >/dev/null
echo "stand-ins (built here, not the registry's images): $sdk_image = Debian bookworm + .NET SDK $sdk_version; $debian_image = Debian bookworm minbase"
