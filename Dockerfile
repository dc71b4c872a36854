# The init's image, built from source: docker build -t local/init .
# FROM scratch: /sbin/init (static NativeAOT), Debian's busybox-static in /bin as a small toolbox (the same binary
# and applet links as ./build.sh's out/image), and rootfs/ (etc/init/network.toml).
#
# Every stage here is needed by the last one, so the legacy builder (which builds all stages in order) and BuildKit
# build the same thing on a fresh clone. The prebuilt path (./build.sh image, the tests) copies out/image instead
# and lives in Dockerfile.prebuilt: as a stage in this file, the legacy builder would build it too and fail
# without out/image, and `--target prebuilt` would have to build or skip the SDK stage depending on the builder.

# Debian's busybox-static, so the image's toolbox is the one ./build.sh ships (the host's /bin/busybox on Debian).
FROM debian:bookworm-slim AS toolbox
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null

# The .NET 10 SDK images are Ubuntu 24.04 (noble): there is no Debian variant. Pinned by distribution tag so the
# compiler and linker (gcc, binutils 2.42) do not change distribution under us.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc libc6-dev binutils file >/dev/null
COPY --from=toolbox /bin/busybox /opt/debian/busybox
WORKDIR /src
COPY Directory.Build.props build.sh ./
COPY netlink/ netlink/
COPY init/ init/
# No .git is copied: `init --version` says "git.unknown" unless the commit is passed in:
# docker build --build-arg INIT_COMMIT=$(git rev-parse --short HEAD) -t local/init .
ARG INIT_COMMIT=unknown
RUN INIT_COMMIT=$INIT_COMMIT BUSYBOX=/opt/debian/busybox ./build.sh build

FROM scratch AS runtime
COPY --from=build /src/out/image/ /
COPY rootfs/ /
ENTRYPOINT ["/sbin/init", "--"]
