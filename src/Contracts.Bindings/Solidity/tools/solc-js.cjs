#!/usr/bin/env node
// A solc command-line stand-in for forge's `--use`: answers `--version` like the native solc and compiles
// `--standard-json` input from stdin with solc-js (the pinned npm package), resolving imports from disk
// (forge passes sources by paths relative to the project root, or absolute paths for remappings).
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const args = process.argv.slice(2);
if (args.includes('--version')) {
  // Same shape as native solc: forge parses the "Version: x.y.z+commit..." line.
  process.stdout.write('solc, the solidity compiler commandline interface\nVersion: ' + solc.version() + '\n');
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write('solc-js wrapper: only --version and --standard-json are supported\n');
  process.exit(2);
}
const baseIdx = args.indexOf('--base-path');
const bases = [process.cwd()];
if (baseIdx >= 0 && args[baseIdx + 1]) bases.unshift(path.resolve(args[baseIdx + 1]));
const incIdx = args.indexOf('--include-path');
if (incIdx >= 0 && args[incIdx + 1]) bases.push(path.resolve(args[incIdx + 1]));

function findImports(p) {
  const candidates = path.isAbsolute(p) ? [p] : bases.map((b) => path.join(b, p));
  for (const c of candidates) {
    try { return { contents: fs.readFileSync(c, 'utf8') }; } catch (_) { /* next */ }
  }
  return { error: 'File not found: ' + p };
}

const input = fs.readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImports }));
