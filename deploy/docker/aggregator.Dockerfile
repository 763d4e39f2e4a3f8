# supplyoracle-aggregator (src/Aggregator): the untrusted relayer that collects observations and commits reports.
# Build from the repository root:  docker build -f deploy/docker/aggregator.Dockerfile -t supplyoracle-aggregator .
#   (compiles with the official .NET SDK image and runs on the official ASP.NET Core runtime image).
# Without a registry (or to reuse a host build): publish on the host, then build the "prebuilt" target on any base
# image that holds the ASP.NET Core 10 runtime and a user "app" (deploy/docker/bases.sh makes one offline):
#   dotnet publish src/Aggregator/Aggregator.csproj -c Release -o artifacts/publish/aggregator
#   docker build -f deploy/docker/aggregator.Dockerfile --target prebuilt --build-arg RUNTIME_IMAGE=IMAGE -t supplyoracle-aggregator .
# Settings come from the JSON file, then Aggregator__* environment variables (README "Aggregator configuration").
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0

# What every variant shares. The stages are ordered so that the classic builder, which builds every stage up to the
# target, never needs the SDK image for --target prebuilt.
FROM ${RUNTIME_IMAGE} AS runtime
RUN mkdir -p /etc/supplyoracle
# Set Aggregator:GrpcListen 0.0.0.0:7443 and Aggregator:HttpListen 0.0.0.0:7480 so reporters and probes reach them
# (the defaults listen on 127.0.0.1 only; the HEALTHCHECK below works with either).
EXPOSE 7443 7480
# The image's non-root user (uid 1654).
USER app
# bash's /dev/tcp instead of curl: the runtime images ship no HTTP client, and none is installed for one probe.
# The start period is generous: a start on a loaded two-core host took 85 s (failures before a first success do not count).
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/7480 && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/app/supplyoracle-aggregator"]
CMD ["run", "--config", "/etc/supplyoracle/aggregator.json"]

# --target prebuilt: the program published on the build host into artifacts/publish/aggregator.
FROM runtime AS prebuilt
COPY artifacts/publish/aggregator/ /app/

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY proto/ proto/
COPY src/ src/
RUN dotnet publish src/Aggregator/Aggregator.csproj -c Release -o /app

FROM runtime AS final
COPY --from=build /app /app
