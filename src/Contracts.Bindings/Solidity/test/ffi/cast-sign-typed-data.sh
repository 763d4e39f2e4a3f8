#!/usr/bin/env bash
# ffi helper for Eip712Cast.t.sol: signs EIP-712 typed data (JSON, $2) with a private key ($1) using the pinned
# Foundry `cast` (an independent EIP-712 implementation) and prints the 65-byte signature as 0x-hex.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cast="${SUPPLYORACLE_CAST:-$here/../../../../../deploy/node_modules/@foundry-rs/cast-linux-amd64/bin/cast}"
exec "$cast" wallet sign --private-key "$1" --data "$2"
