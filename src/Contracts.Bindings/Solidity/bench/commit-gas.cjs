#!/usr/bin/env node
// Commit gas benchmark (./bench.sh gas): real transactions on a throwaway anvil, gas read from the receipts.
// Deploys ExcludedAddressRegistry + SupplyOracle (7 reporters, quorum 5, roundBlocks 1) and 200 test tokens, makes
// every token's first commit, then measures STEADY-STATE commits (every token already initialized, same
// circulating, factor moving one tier within the clamps, cooldown elapsed) of 1, 10, 50, 100 and 200 tokens.
// Reports are signed by 5 reporters with ethers' EIP-712 signer (an independent implementation of docs/protocol.md
// section 7), so a run is also an interop check: the contract accepts ethers' signatures or the run fails.
// "gas" = the receipt's gasUsed of the commit transaction: 21,000 base + calldata + execution (5 ecrecovers,
// header checks, per-token SLOAD/SSTORE, the Committed event).
'use strict';
const { spawn } = require('child_process');
const net = require('net');
const fs = require('fs');
const path = require('path');
const { ethers } = require('ethers');

const here = __dirname;
const root = path.resolve(here, '../../../..');
const anvilBin = path.join(root, 'deploy/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil');
const out = path.join(here, '../out');
const SIZES = [1, 10, 50, 100, 200];
const REPORTERS = 7, QUORUM = 5, TOKENS = Math.max(...SIZES);

function artifact(file, name) {
  const j = JSON.parse(fs.readFileSync(path.join(out, file, name + '.json'), 'utf8'));
  return { abi: j.abi, bytecode: j.bytecode.object };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitForRpc(url) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
      if (r.ok) return BigInt((await r.json()).result);
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('anvil did not answer on ' + url);
}
const log = (m) => process.stderr.write(m + '\n');

function updatesFor(tokens, circulating, factor) {
  return ethers.concat(tokens.map((t) => ethers.solidityPacked(['address', 'uint128', 'uint64', 'uint8'], [t, circulating, factor, 0])));
}

async function main() {
  const port = await freePort();
  const anvil = spawn(anvilBin, ['--port', String(port), '--silent', '--gas-limit', '100000000', '--code-size-limit', '100000', ...(process.env.GAS_TRACE ? ['--steps-tracing'] : [])], { stdio: 'ignore' });
  const stop = () => { try { anvil.kill('SIGTERM'); } catch { /* gone */ } };
  process.on('exit', stop);
  try {
    const url = `http://127.0.0.1:${port}`;
    const chainId = await waitForRpc(url);
    let id = 0;
    const rpc = async (method, params) => {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
      const j = await r.json();
      if (j.error) throw new Error(`${method}: ${JSON.stringify(j.error)}`);
      return j.result;
    };
    // anvil's first default account is unlocked: eth_sendTransaction, mined by automine; the receipt is polled.
    const [from] = await rpc('eth_accounts', []);
    const transact = async (to, data) => {
      const hash = await rpc('eth_sendTransaction', [{ from, to, data, gas: ethers.toQuantity(30_000_000) }]);
      let receipt = null;
      for (let i = 0; i < 2000 && receipt === null; i++) {
        receipt = await rpc('eth_getTransactionReceipt', [hash]);
        if (receipt === null) await new Promise((r) => setTimeout(r, 5));
      }
      if (receipt === null) throw new Error(`no receipt for ${hash}`);
      if (receipt.status !== '0x1') throw new Error(`transaction to ${to ?? 'create'} reverted`);
      return receipt;
    };
    const deploy = async (a, args) => {
      const data = ethers.concat([a.bytecode, new ethers.Interface(a.abi).encodeDeploy(args)]);
      return ethers.getAddress((await transact(null, data)).contractAddress);
    };
    const reporters = Array.from({ length: REPORTERS }, (_, i) => new ethers.Wallet(ethers.keccak256(ethers.toUtf8Bytes('bench reporter ' + i))));
    reporters.sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));

    const R = artifact('ExcludedAddressRegistry.sol', 'ExcludedAddressRegistry');
    const O = artifact('SupplyOracle.sol', 'SupplyOracle');
    const T = artifact('TestToken.sol', 'TestToken');
    const oi = new ethers.Interface(O.abi);
    const registry = await deploy(R, [from, from, 3600, 14 * 86400]);
    const params = [1, QUORUM, 200, 3600, 1000, 86400, 2500, 86400, 30 * 86400, 256, 43200, 50];
    const oracle = await deploy(O, [from, from, registry, reporters.map((r) => r.address), params]);
    const tokens = [];
    for (let i = 0; i < TOKENS; i++) tokens.push(await deploy(T, ['Bench ' + i, 'B' + i, 18, from]));
    tokens.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    for (const t of tokens) await transact(oracle, oi.encodeFunctionData('listToken', [t]));
    log(`deployed the registry, the oracle and ${TOKENS} listed tokens`);

    const domain = { name: 'SupplyOracle', version: '1', chainId, verifyingContract: oracle };
    const types = { Report: [
      { name: 'round', type: 'uint64' }, { name: 'referenceBlock', type: 'uint64' }, { name: 'referenceTime', type: 'uint64' },
      { name: 'referenceHash', type: 'bytes32' }, { name: 'updates', type: 'bytes' }] };
    const circulating = 123_456_789n * 10n ** 18n;

    async function commit(subset, factor, circ = circulating) {
      const block = await rpc('eth_getBlockByNumber', ['latest', false]);
      const round = BigInt(block.number); // roundBlocks = 1: reference block = round, mined just before the commit
      const updates = updatesFor(subset, circ, factor);
      const value = { round, referenceBlock: round, referenceTime: BigInt(block.timestamp), referenceHash: block.hash, updates };
      const signatures = ethers.concat(await Promise.all(reporters.slice(0, QUORUM).map((r) => r.signTypedData(domain, types, value))));
      const data = oi.encodeFunctionData('commit', [round, value.referenceTime, block.hash, updates, signatures]);
      const receipt = await transact(oracle, data);
      const ev = receipt.logs.map((l) => oi.parseLog(l)).find((e) => e && e.name === 'Committed');
      if (!ev || ev.args.committed !== BigInt(subset.length)) throw new Error(`commit of ${subset.length} tokens did not store every update`);
      if (process.env.GAS_TRACE === String(subset.length)) await traceOpcodes(receipt.transactionHash);
      return BigInt(receipt.gasUsed);
    }
    // GAS_TRACE=N prints the execution gas of the N-token commit by opcode (anvil's struct logger), for analysis.
    async function traceOpcodes(hash) {
      const t = await rpc('debug_traceTransaction', [hash, { disableStack: true, enableMemory: false, disableStorage: true }]);
      const by = new Map();
      for (const l of t.structLogs) { const e = by.get(l.op) ?? [0, 0]; e[0] += 1; e[1] += l.gasCost; by.set(l.op, e); }
      const rows = [...by.entries()].sort((a, b) => b[1][1] - a[1][1]).slice(0, 12);
      let other = 0;
      for (const [op, [, g]] of by) if (!['SSTORE', 'SLOAD', 'STATICCALL'].includes(op)) other += g;
      log(`  all other opcodes: ${other}; steps: ${t.structLogs.length}`);
      if (process.env.GAS_TRACE_PC) {
        const pcs = new Map();
        for (const l of t.structLogs) pcs.set(l.pc + ':' + l.op + ':' + l.depth, (pcs.get(l.pc + ':' + l.op + ':' + l.depth) ?? 0) + 1);
        log([...pcs.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, n]) => k + ' x' + n).join('  '));
      }
      log(`opcode gas of the ${hash} commit (execution ${t.gas}):`);
      for (const [op, [n, g]] of rows) log(`  ${op.padEnd(14)} ${String(n).padStart(7)} ${String(g).padStart(9)}`);
    }
    const advance = async () => { await rpc('evm_increaseTime', [3601]); await rpc('evm_mine', []); };

    await commit(tokens, 800_000_000_000_000_000n); // first commits (0 -> non-zero stores), not measured
    const results = [];
    let factor = 800_000_000_000_000_000n;
    for (const n of SIZES) {
      await advance();
      factor = factor === 800_000_000_000_000_000n ? 850_000_000_000_000_000n : 800_000_000_000_000_000n;
      results.push([n, await commit(tokens.slice(0, n), factor)]);
    }
    const gasOf = new Map(results.map(([n, g]) => [n, g]));
    console.log(`commit gas, steady state, ${REPORTERS} reporters, quorum ${QUORUM} (receipt gasUsed: 21000 base + calldata + execution)`);
    console.log('tokens  gas_used    per_token(total/N)  marginal_per_token(vs 1 token)');
    for (const [n, g] of results) {
      const marginal = n === 1 ? '-' : String((g - gasOf.get(1)) / BigInt(n - 1));
      console.log(`${String(n).padStart(6)}  ${String(g).padStart(9)}  ${String(g / BigInt(n)).padStart(18)}  ${marginal.padStart(30)}`);
    }
    console.log(`marginal gas per token (200 vs 100 tokens): ${(gasOf.get(200) - gasOf.get(100)) / 100n}`);
    console.log(`commit gas per token (100 tokens, 7 reporters, quorum 5): ${gasOf.get(100) / 100n}`);

    // Heartbeat commits of the commit policy (docs/protocol.md section 5 step 12): the factor stays; the committed
    // circulating either stays or moves by less than supplyDeviationBps (drifting excluded balances), which rewrites
    // the token's cold word (its fingerprint) and its circulating slot. `./bench.sh gas-day` uses these costs.
    const heartbeat = [];
    let circ = circulating;
    for (const [label, n, moves] of [['same circulating', 100, false], ['circulating moved', 100, true], ['circulating moved', 1, true], ['same circulating', 1, false]]) {
      await advance();
      if (moves) circ += circ / 5000n; // +0.02 %, inside the default 50 bps
      heartbeat.push([label, n, await commit(tokens.slice(0, n), factor, circ)]);
    }
    console.log('heartbeat commits (factor unchanged): tokens  gas_used  per_token(total/N)');
    for (const [label, n, g] of heartbeat) {
      console.log(`  ${label.padEnd(18)} ${String(n).padStart(20)}  ${String(g).padStart(8)}  ${String(g / BigInt(n)).padStart(18)}`);
    }
  } finally {
    stop();
  }
}

setTimeout(() => { console.error('gas benchmark timed out'); process.exit(1); }, 300_000).unref();
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
