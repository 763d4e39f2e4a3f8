#!/usr/bin/env bash
# gRPC over loopback: unary calls/s and streamed messages/s, our services on Grpc.AspNetCore vs a grpc-js server.
# Two harnesses (our generated Grpc.Net.Client client, the grpc-js client) each drive both servers in alternating rounds; medians and ratios.
# Target: ours >= 1.0x grpc-js. Args: [seconds per figure] [unary concurrency] [concurrent streams] [rounds].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- grpc "$@"
