#!/usr/bin/env node
// Worked examples for the weighting methodologies (test/consumer/IndexWeights.t.sol, AveragedIndexWeights.t.sol):
// computes the expected weights with BigInt from the example inputs below, independently of the Solidity code
// (square root by bisection, the capped split by sorting the tokens by when their cap binds instead of
// re-running passes), and prints them. The tests hold this output; to regenerate: node tools/weights-examples.cjs
// Rules: src/consumer/weighting/IndexMethodologies.sol (NatSpec) and WeightMath.sol (the dust rule).
'use strict';
const WAD = 10n ** 18n;
const DAY = 86400n;

// ---------------------------------------------------------------- the example inputs (keep the tests in sync)
// Six 18-decimal tokens in address order. Committed supply = floor(circulating * factor / 1e18) (PROTOCOL.md s. 9).
const circulating = [2_000_000n, 5_737_705n, 342_466n, 19_047_619n, 133_333n, 114_285n].map((c) => c * WAD);
const factors = [500000000000000000n, 610000000000000000n, 730000000000000000n, 420000000000000000n, 900000000000000000n, 350000000000000000n];
const prices = [45_700000000000000000n, 12_340000000000000000n, 150_500000000000000000n, 2_873000000000000000n, 197_100000000000000000n, 3_300000000000000000n];
const liquidity = [2_100_000n, 9_000_000n, 1_200_000n, 800_000n, 350_000n, 20_000n].map((l) => l * WAD);
const CAP_MCAP = 250000000000000000n; // 25 %
const CAP_SQRT = 200000000000000000n; // 20 %
// Buffered: members are the tokens with a current weight > 0 (all but token 4).
const current = [200000000000000000n, 200000000000000000n, 200000000000000000n, 200000000000000000n, 0n, 200000000000000000n];
const buffered = { cap: 340000000000000000n, floor: 155000000000000000n, targetSize: 4n, buffer: 1n };
// Averaged: each token's circulating is multiplied by mult[k][i] / 100 at commit k, commits at `at[k]` seconds after
// the first; the weights are read `readAfter` seconds after the last commit over a 30-day window.
const at = [0n, 10n * DAY, 20n * DAY, 34n * DAY];
const mult = [[100n, 100n, 100n, 100n, 100n, 100n], [110n, 95n, 100n, 120n, 80n, 100n], [90n, 105n, 130n, 100n, 100n, 70n], [100n, 100n, 100n, 100n, 150n, 100n]];
const readAfter = 6n * 3600n;
const WINDOW = 30n * DAY;

// ---------------------------------------------------------------- arithmetic
function isqrt(x) { // largest r with r*r <= x, by bisection
  let lo = 0n, hi = 1n;
  while (hi * hi <= x) hi <<= 1n;
  while (hi - lo > 1n) { const mid = (lo + hi) >> 1n; if (mid * mid <= x) lo = mid; else hi = mid; }
  return lo;
}
const sum = (xs) => xs.reduce((a, b) => a + b, 0n);
const min = (a, b) => (a < b ? a : b);

// Capped split, rounded down: a token is capped when floor(B * s / T) > cap, i.e. B * s >= (cap + 1) * T, so as B/T
// grows the tokens get capped in ascending order of (cap + 1) / s; walk that order, capping while the next one binds.
function cappedSplitFloor(score, cap, eligible, budget) {
  const idx = score.map((_, i) => i).filter((i) => eligible[i]);
  if (sum(idx.map((i) => cap[i])) < budget) throw new Error('CapsBelowBudget');
  const byKey = idx.filter((i) => score[i] > 0n).sort((a, b) => {
    const l = (cap[a] + 1n) * score[b], r = (cap[b] + 1n) * score[a];
    return l < r ? -1 : l > r ? 1 : 0;
  });
  const capped = new Set();
  let B = budget;
  const rest = () => sum(idx.filter((i) => !capped.has(i)).map((i) => score[i]));
  for (const j of byKey) {
    if (B * score[j] >= (cap[j] + 1n) * rest()) { capped.add(j); B -= cap[j]; } else break;
  }
  const T = rest();
  if (T === 0n) throw new Error('NoMarketCap');
  return score.map((s, i) => (!eligible[i] ? 0n : capped.has(i) ? cap[i] : (B * s) / T));
}
// Dust: to the largest weight below its cap (then the larger score, then the lower index), what fits, then the next.
function placeDust(w, score, cap, eligible, budget) {
  const idx = score.map((_, i) => i).filter((i) => eligible[i]);
  let dust = budget - sum(idx.map((i) => w[i]));
  const order = idx.filter((i) => w[i] < cap[i]).sort((a, b) => (w[a] !== w[b] ? (w[b] > w[a] ? 1 : -1) : score[a] !== score[b] ? (score[b] > score[a] ? 1 : -1) : a - b));
  for (const i of order) { if (dust === 0n) break; const add = min(dust, cap[i] - w[i]); w[i] += add; dust -= add; }
  if (dust !== 0n) throw new Error('CapsBelowBudget');
  return w;
}
const cappedSplit = (score, cap, eligible, budget) => placeDust(cappedSplitFloor(score, cap, eligible, budget), score, cap, eligible, budget);

const supplyOf = (circ, f) => (circ * f) / WAD;
const marketCaps = (supplies) => supplies.map((s, i) => (s * prices[i]) / WAD);
const all = (n) => Array(n).fill(true);
const uniform = (n, c) => Array(n).fill(c);

function sqrtWeights(mcap, capWad) { return cappedSplit(mcap.map((m) => isqrt(m * WAD)), uniform(mcap.length, capWad), all(mcap.length), WAD); }
function blendedWeights(mcap) {
  const roots = mcap.map((m) => isqrt(m * WAD));
  const S = sum(roots), L = sum(liquidity), M = sum(mcap);
  const score = roots.map((r, i) => 3n * r * L + liquidity[i] * S); // 4SL * (3/4 r/S + 1/4 l/L)
  const cap = mcap.map((m) => min((2n * WAD * m) / M, 250000000000000000n));
  return cappedSplit(score, cap, all(mcap.length), WAD);
}
function bufferedWeights(mcap) {
  const n = mcap.length;
  const ranked = mcap.map((_, i) => i).sort((a, b) => (mcap[a] !== mcap[b] ? (mcap[b] > mcap[a] ? 1 : -1) : a - b));
  const rank = []; ranked.forEach((i, r) => { rank[i] = BigInt(r + 1); });
  const member = mcap.map((_, i) => (current[i] > 0n ? rank[i] <= buffered.targetSize + buffered.buffer : rank[i] <= buffered.targetSize - buffered.buffer));
  const cap = uniform(n, buffered.cap);
  for (;;) { // the floor prunes on the rounded split (before the dust), then the survivors split again
    const w = cappedSplitFloor(mcap, cap, member, WAD);
    const low = mcap.map((_, i) => i).filter((i) => member[i] && w[i] < buffered.floor);
    if (low.length === 0) return { w: placeDust(w, mcap, cap, member, WAD), member, rank };
    for (const i of low) member[i] = false;
  }
}

// ---------------------------------------------------------------- the examples
const supplies = circulating.map((c, i) => supplyOf(c, factors[i]));
const mcap = marketCaps(supplies);
// Averaged: the committed supply is a step function of the commit times; average over [now - 30 days, now].
const now = at[at.length - 1] + readAfter, start = now - WINDOW;
const averages = circulating.map((c, i) => {
  let integral = 0n;
  for (let k = 0; k < at.length; k++) {
    const from = at[k] > start ? at[k] : start, to = k + 1 < at.length ? at[k + 1] : now;
    if (to > from) integral += supplyOf((c * mult[k][i]) / 100n, factors[i]) * (to - from);
  }
  return integral / WINDOW;
});
const mcapAvg = marketCaps(averages);

const out = [];
const arr = (name, xs) => out.push(`${name} = [${xs.map((x) => x.toString()).join(', ')}]`);
arr('supplies', supplies);
arr('marketCaps', mcap);
arr('cappedMarketCap25', cappedSplit(mcap, uniform(6, CAP_MCAP), all(6), WAD));
arr('sqrtMarketCap', sqrtWeights(mcap, WAD));
arr('sqrtMarketCapCapped20', sqrtWeights(mcap, CAP_SQRT));
arr('blendedSqrtLiquidity', blendedWeights(mcap));
const b = bufferedWeights(mcap);
arr('bufferedRanks', b.rank);
arr('bufferedWeights', b.w);
arr('averageSupplies', averages);
arr('sqrtMarketCap30d', sqrtWeights(mcapAvg, WAD));
arr('blendedSqrtLiquidity30d', blendedWeights(mcapAvg));
for (const line of out) console.log(line);
for (const line of out.filter((l) => /Weights|Cap|blended|sqrt/.test(l) && !/marketCaps/.test(l))) {
  const xs = line.split(' = ')[1].slice(1, -1).split(', ').map(BigInt);
  if (sum(xs) !== WAD) throw new Error(`${line.split(' = ')[0]} does not sum to 1e18`);
}
