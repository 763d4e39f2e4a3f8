#!/usr/bin/env node
// Consumer gas benchmark (the second part of ./bench.sh gas): gas per call of each weighting methodology for 10 and
// 50 tokens, as real transactions on a throwaway anvil (receipt gasUsed: 21,000 base + calldata + execution; a
// vault pays this when it computes weights inside its rebalance transaction; an eth_call costs nothing on-chain).
// Set-up: registry + oracle (1 reporter, quorum 1), 50 listed 18-decimal test tokens, five commits over 34 days
// with changing circulating supplies, FreeFloatHistory poked after each (so the 30-day averages are served); the
// weights are read 6 hours after the last commit (fresh data: every token Rebalance, no Hold, no Halt).
'use strict';
const { ethers } = require('ethers');
const { artifact, startAnvil } = require('./anvil-harness.cjs');

const SIZES = [10, 50];
const TOKENS = Math.max(...SIZES);
const DAY = 86400;
const WAD = 10n ** 18n;

async function main() {
  const a = await startAnvil();
  try {
    const reporter = new ethers.Wallet(ethers.keccak256(ethers.toUtf8Bytes('bench consumer reporter')));
    const R = artifact('ExcludedAddressRegistry.sol', 'ExcludedAddressRegistry');
    const O = artifact('SupplyOracle.sol', 'SupplyOracle');
    const T = artifact('TestToken.sol', 'TestToken');
    const H = artifact('FreeFloatHistory.sol', 'FreeFloatHistory');
    const F = artifact('FreeFloatWeights.sol', 'FreeFloatWeights');
    const I = artifact('IndexWeights.sol', 'IndexWeights');
    const A = artifact('AveragedIndexWeights.sol', 'AveragedIndexWeights');
    const registry = await a.deploy(R, [a.from, a.from, 3600, 14 * DAY]);
    const params = [1, 1, 200, 3600, 1000, DAY, 2500, DAY, 30 * DAY, 256, DAY / 2, 50]; // section 8 defaults (heartbeat, supplyDeviationBps last)
    const oracle = await a.deploy(O, [a.from, a.from, registry, [reporter.address], params]);
    const tokens = [];
    for (let i = 0; i < TOKENS; i++) tokens.push(await a.deploy(T, ['Bench ' + i, 'B' + i, 18, a.from]));
    tokens.sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    for (const t of tokens) await a.transact(oracle, O.iface.encodeFunctionData('listToken', [t]));
    const history = await a.deploy(H, [oracle, 256]);
    const ffw = await a.deploy(F, [oracle]);
    const index = await a.deploy(I, [oracle]);
    const averaged = await a.deploy(A, [history]);

    const domain = { name: 'SupplyOracle', version: '1', chainId: a.chainId, verifyingContract: oracle };
    const types = { Report: [
      { name: 'round', type: 'uint64' }, { name: 'referenceBlock', type: 'uint64' }, { name: 'referenceTime', type: 'uint64' },
      { name: 'referenceHash', type: 'bytes32' }, { name: 'updates', type: 'bytes' }] };
    // Token i: circulating (1e6 + 37,000 i) whole tokens, scaled by a per-commit percentage; factor 0.6.
    const circulating = (i, k) => (1_000_000n + 37_000n * BigInt(i)) * WAD * BigInt(90 + ((i * 7 + k * 13) % 21)) / 100n;
    async function commitAll(k) {
      const block = await a.rpc('eth_getBlockByNumber', ['latest', false]);
      const round = BigInt(block.number);
      const updates = ethers.concat(tokens.map((t, i) => ethers.solidityPacked(['address', 'uint128', 'uint64', 'uint8'], [t, circulating(i, k), 600_000_000_000_000_000n, 0])));
      const value = { round, referenceBlock: round, referenceTime: BigInt(block.timestamp), referenceHash: block.hash, updates };
      const signature = await reporter.signTypedData(domain, types, value);
      await a.transact(oracle, O.iface.encodeFunctionData('commit', [round, value.referenceTime, block.hash, updates, signature]));
    }
    const advance = async (seconds) => { await a.rpc('evm_increaseTime', [seconds]); await a.rpc('evm_mine', []); };
    const poke = async (subset) => BigInt((await a.transact(history, H.iface.encodeFunctionData('pokeMany', [subset]))).gasUsed);
    const schedule = [0, 10, 10, 10, 4]; // days between commits: 34 days of history
    const pokeGas = new Map();
    for (let k = 0; k < schedule.length; k++) {
      if (schedule[k] > 0) await advance(schedule[k] * DAY);
      await commitAll(k);
      if (k === schedule.length - 2) { // measured: one new point for each of the first 10 tokens, then the others
        pokeGas.set(SIZES[0], await poke(tokens.slice(0, SIZES[0])));
        await poke(tokens.slice(SIZES[0]));
      } else {
        const g = await poke(tokens);
        if (k === schedule.length - 1) pokeGas.set(TOKENS, g);
      }
    }
    await advance(6 * 3600);

    const rows = [];
    const measure = async (name, to, iface, fn, argsFor) => {
      const row = [name];
      for (const n of SIZES) {
        const data = iface.encodeFunctionData(fn, argsFor(n));
        const [, , halt] = iface.decodeFunctionResult(fn, await a.call(to, data));
        if (halt) throw new Error(`${name} halted for ${n} tokens`);
        row.push(BigInt((await a.transact(to, data)).gasUsed));
      }
      rows.push(row);
    };
    const subset = (n) => tokens.slice(0, n);
    const prices = (n) => Array.from({ length: n }, (_, i) => (3n + BigInt(i % 7)) * WAD / 2n);
    const liquidity = (n) => Array.from({ length: n }, (_, i) => (100_000n + 9_000n * BigInt((i * 5) % 11)) * WAD);
    const current = (n) => Array.from({ length: n }, (_, i) => (i < n - 1 ? WAD / BigInt(n) : WAD - (WAD / BigInt(n)) * BigInt(n - 1)));
    const cap = (n) => (n <= 10 ? 250_000_000_000_000_000n : 50_000_000_000_000_000n);
    await measure('FreeFloatWeights.weights (capped, no dust)', ffw, F.iface, 'weights', (n) => [subset(n), prices(n), current(n), cap(n)]);
    await measure('IndexWeights.cappedMarketCap', index, I.iface, 'cappedMarketCap', (n) => [subset(n), prices(n), current(n), cap(n)]);
    await measure('IndexWeights.sqrtMarketCap', index, I.iface, 'sqrtMarketCap', (n) => [subset(n), prices(n), current(n), WAD]);
    await measure('IndexWeights.blendedSqrtLiquidity', index, I.iface, 'blendedSqrtLiquidity', (n) => [subset(n), prices(n), liquidity(n), current(n)]);
    await measure('IndexWeights.bufferedCappedMarketCap', index, I.iface, 'bufferedCappedMarketCap', (n) => [subset(n), prices(n), current(n), [cap(n), 100_000_000_000_000n, BigInt(n - 2), 1n]]);
    await measure('AveragedIndexWeights.sqrtMarketCap30d', averaged, A.iface, 'sqrtMarketCap30d', (n) => [subset(n), prices(n), current(n), WAD]);
    await measure('AveragedIndexWeights.blendedSqrtLiquidity30d', averaged, A.iface, 'blendedSqrtLiquidity30d', (n) => [subset(n), prices(n), liquidity(n), current(n)]);

    console.log('');
    console.log('consumer gas per call (receipt gasUsed: 21000 base + calldata + execution; every token fresh, committed)');
    console.log(`${'method'.padEnd(46)}${SIZES.map((n) => `${n} tokens`.padStart(12)).join('')}${SIZES.map((n) => `per token (${n})`.padStart(17)).join('')}`);
    for (const [name, ...gas] of rows) {
      console.log(`${name.padEnd(46)}${gas.map((g) => String(g).padStart(12)).join('')}${gas.map((g, j) => String(g / BigInt(SIZES[j])).padStart(17)).join('')}`);
    }
    const pokes = SIZES.map((n) => pokeGas.get(n));
    console.log(`${'FreeFloatHistory.pokeMany (one new point each)'.padEnd(46)}${pokes.map((g) => String(g).padStart(12)).join('')}${pokes.map((g, j) => String(g / BigInt(SIZES[j])).padStart(17)).join('')}`);
  } finally {
    a.stop();
  }
}

setTimeout(() => { console.error('consumer gas benchmark timed out'); process.exit(1); }, 300_000).unref();
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
