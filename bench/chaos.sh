#!/usr/bin/env bash
# Fault injection against the local network (issue 24): the devnet's topology (throwaway PostgreSQL, anvil, the
# contracts, one aggregator, five reporters, two of them behind a fault-injecting JSON-RPC proxy) under seeded random
# faults of every kind: kill -9 and restart of the aggregator and reporters, SIGSTOP/SIGCONT of both, PostgreSQL
# restarted in immediate mode, anvil paused, the proxy lying or silent, and the aggregator killed while its commit sits
# unmined in the pool. Then it checks on chain, through the aggregator's query API and in the reporters' journals: no
# round committed twice, committed rounds increasing, the transmitter's nonce = commits + reverted, every round ended
# with a reason, the API equal to the chain, journals intact; prints faults by kind, rounds lost by cause and rounds to
# recovery. Exit 1 when a safety check fails (or a fault kind could not be injected).
# Target: 0 double commits, 0 lost data, <= 1 round lost per aggregator restart, none per reporter fault, PostgreSQL
# restart or chain stall shorter than the close window.
# Options: --minutes N (default 20, at least 3), --seed S (default 1), --dir DIR, --keep.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./deploy/build.sh
exec dotnet tools/Devnet/bin/Release/net10.0/supplyoracle-devnet.dll chaos "$@"
