# syntax=docker/dockerfile:1
# supplyoracle-aggregator (src/Aggregator): the untrusted relayer that collects observations and commits reports.
# Build from the repository root:  docker build -f deploy/docker/aggregator.Dockerfile -t supplyoracle-aggregator .
# Settings come from the JSON file, then Aggregator__* environment variables (README "Aggregator configuration").

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY proto/ proto/
COPY src/ src/
RUN dotnet publish src/Aggregator/Aggregator.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl only for the HEALTHCHECK below (the .NET runtime images ship none).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /etc/supplyoracle
COPY --from=build /app /app
# Set Aggregator:GrpcListen 0.0.0.0:7443 and Aggregator:HttpListen 0.0.0.0:7480 so reporters and probes reach them
# (the defaults listen on 127.0.0.1 only; the HEALTHCHECK below works with either).
EXPOSE 7443 7480
# The image's non-root user (uid 1654).
USER app
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["curl", "-fsS", "http://127.0.0.1:7480/healthz"]
ENTRYPOINT ["/app/supplyoracle-aggregator"]
CMD ["run", "--config", "/etc/supplyoracle/aggregator.json"]
