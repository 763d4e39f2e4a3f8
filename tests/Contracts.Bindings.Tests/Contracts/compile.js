// Compiles Contracts/*.sol with the pinned solc-js (deploy/node_modules/solc) into Artifacts/<Name>.json
// ({abi, bytecode, deployedBytecode}: the layout the bindings generator reads). Run: node Contracts/compile.js
const fs = require('fs');
const path = require('path');
const solc = require(path.join(__dirname, '../../../deploy/node_modules/solc'));

const dir = __dirname;
const sources = {};
for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.sol'))) {
  sources[f] = { content: fs.readFileSync(path.join(dir, f), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter(e => e.severity === 'error');
if (errors.length) {
  console.error(errors.map(e => e.formattedMessage).join('\n'));
  process.exit(1);
}
const out = path.join(dir, '..', 'Artifacts');
fs.mkdirSync(out, { recursive: true });
for (const file of Object.keys(output.contracts)) {
  for (const [name, c] of Object.entries(output.contracts[file])) {
    const artifact = { contractName: name, compiler: 'solc ' + solc.version(), abi: c.abi,
      bytecode: '0x' + c.evm.bytecode.object, deployedBytecode: '0x' + c.evm.deployedBytecode.object };
    fs.writeFileSync(path.join(out, name + '.json'), JSON.stringify(artifact, null, 2) + '\n');
    console.log('wrote ' + name + '.json');
  }
}
