# A FROM scratch image: /sbin/init (static NativeAOT), Debian's busybox-static as a small toolbox in /bin,
# and rootfs/ (etc/init/network.toml). Two ways to get the same runtime image:
#
#   docker build -t local/init .                      # from source, with the official .NET SDK image
#   ./build.sh && docker build --target prebuilt -t local/init .   # from a prebuilt out/image (no pulls)
#
# The prebuilt stage comes first so that the legacy builder stops there without pulling the SDK image.

FROM scratch AS prebuilt
COPY out/image/ /
COPY rootfs/ /
ENTRYPOINT ["/sbin/init", "--"]

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends gcc libc6-dev binutils file busybox-static
WORKDIR /src
COPY . .
RUN ./build.sh build

FROM scratch AS runtime
COPY --from=build /src/out/image/ /
COPY rootfs/ /
ENTRYPOINT ["/sbin/init", "--"]
