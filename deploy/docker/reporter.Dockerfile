# syntax=docker/dockerfile:1
# supplyoracle-reporter (src/Reporter): the node one reporter operator runs (README "Operator guide").
# Build from the repository root:  docker build -f deploy/docker/reporter.Dockerfile -t supplyoracle-reporter .
# Run:  docker run -v reporter-journal:/var/lib/supplyoracle -v ./reporter.json:/etc/supplyoracle/reporter.json:ro \
#         --mount type=bind,src=./secrets,dst=/run/secrets,ro supplyoracle-reporter
# Settings come from the JSON file, then Reporter__* environment variables (README "Reporter configuration").

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY proto/ proto/
COPY src/ src/
RUN dotnet publish src/Reporter/Reporter.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl only for the HEALTHCHECK below (the .NET runtime images ship none).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/supplyoracle /etc/supplyoracle \
    && chown app:app /var/lib/supplyoracle
COPY --from=build /app /app
# Set Reporter:JournalPath under this volume: the signing journal (equivocation protection, docs/protocol.md section 4)
# must outlive the container and is never deleted while the key is in use. Set Reporter:Health:Listen to
# 0.0.0.0:8080 for probes from outside the container (the HEALTHCHECK below works with the default 127.0.0.1:8080).
VOLUME ["/var/lib/supplyoracle"]
EXPOSE 8080
# The image's non-root user (uid 1654).
USER app
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["curl", "-fsS", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["/app/supplyoracle-reporter"]
CMD ["run", "--config", "/etc/supplyoracle/reporter.json"]
