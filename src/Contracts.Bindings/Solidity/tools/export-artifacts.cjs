#!/usr/bin/env node
// Writes (or with --check, verifies) the committed artifacts the C# bindings embed: one JSON file per contract under
// src/Contracts.Bindings/Artifacts/ with { contractName, abi, bytecode, deployedBytecode }, from forge's out/ after a
// fresh `forge build`. Stable formatting (2-space JSON, trailing newline) so a diff means the sources changed.
'use strict';
const fs = require('fs');
const path = require('path');

const here = path.resolve(__dirname, '..');
const outDir = path.join(here, 'out');
const artifactsDir = path.resolve(here, '..', 'Artifacts');
const contracts = [
  ['SupplyOracle.sol', 'SupplyOracle'],
  ['ExcludedAddressRegistry.sol', 'ExcludedAddressRegistry'],
  ['FreeFloatWeights.sol', 'FreeFloatWeights'],
  ['TestToken.sol', 'TestToken'],
];
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, name] of contracts) {
  const built = JSON.parse(fs.readFileSync(path.join(outDir, file, name + '.json'), 'utf8'));
  const text = JSON.stringify({
    contractName: name,
    abi: built.abi,
    bytecode: built.bytecode.object,
    deployedBytecode: built.deployedBytecode.object,
  }, null, 2) + '\n';
  const target = path.join(artifactsDir, name + '.json');
  if (check) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`artifact out of date: ${path.relative(process.cwd(), target)} (run export-artifacts.sh)\n`);
      stale++;
    }
  } else {
    fs.mkdirSync(artifactsDir, { recursive: true });
    fs.writeFileSync(target, text);
  }
}
if (check && stale > 0) process.exit(1);
process.stdout.write(check ? `artifacts match a fresh compile (${contracts.length} contracts)\n` : `wrote ${contracts.length} artifacts to ${artifactsDir}\n`);
