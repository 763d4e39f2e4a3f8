# supplyoracle-reporter (src/Reporter): the node one reporter operator runs (README "Operator guide").
# Build from the repository root:  docker build -f deploy/docker/reporter.Dockerfile -t supplyoracle-reporter .
#   (compiles with the official .NET SDK image and runs on the official ASP.NET Core runtime image).
# Without a registry (or to reuse a host build): publish on the host, then build the "prebuilt" target on any base
# image that holds the ASP.NET Core 10 runtime and a user "app" (deploy/docker/bases.sh makes one offline):
#   dotnet publish src/Reporter/Reporter.csproj -c Release -o artifacts/publish/reporter
#   docker build -f deploy/docker/reporter.Dockerfile --target prebuilt --build-arg RUNTIME_IMAGE=IMAGE -t supplyoracle-reporter .
# Run:  docker run -v reporter-journal:/var/lib/supplyoracle -v ./reporter.json:/etc/supplyoracle/reporter.json:ro \
#         --mount type=bind,src=./secrets,dst=/run/secrets,ro supplyoracle-reporter
# Settings come from the JSON file, then Reporter__* environment variables (README "Reporter configuration").
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0

# What every variant shares. The stages are ordered so that the classic builder, which builds every stage up to the
# target, never needs the SDK image for --target prebuilt.
FROM ${RUNTIME_IMAGE} AS runtime
RUN mkdir -p /var/lib/supplyoracle /etc/supplyoracle \
    && chown app:app /var/lib/supplyoracle
# Set Reporter:JournalPath under this volume: the signing journal (equivocation protection, docs/protocol.md section 4)
# must outlive the container and is never deleted while the key is in use. Set Reporter:Health:Listen to
# 0.0.0.0:8080 for probes from outside the container (the HEALTHCHECK below works with the default 127.0.0.1:8080).
VOLUME ["/var/lib/supplyoracle"]
EXPOSE 8080
# The image's non-root user (uid 1654).
USER app
# bash's /dev/tcp instead of curl: the runtime images ship no HTTP client, and none is installed for one probe.
# The start period is generous: a start on a loaded two-core host took 85 s (failures before a first success do not count).
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/app/supplyoracle-reporter"]
CMD ["run", "--config", "/etc/supplyoracle/reporter.json"]

# --target prebuilt: the program published on the build host into artifacts/publish/reporter.
FROM runtime AS prebuilt
COPY artifacts/publish/reporter/ /app/

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY proto/ proto/
COPY src/ src/
RUN dotnet publish src/Reporter/Reporter.csproj -c Release -o /app

FROM runtime AS final
COPY --from=build /app /app
