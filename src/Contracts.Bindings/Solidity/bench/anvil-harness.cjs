// A throwaway anvil for the benchmarks: start it on a free port, JSON-RPC calls, transactions from its first unlocked
// account (automine; receipts polled), deployments from forge's out/ artifacts. Used by consumer-gas.cjs.
'use strict';
const { spawn } = require('child_process');
const net = require('net');
const fs = require('fs');
const path = require('path');
const { ethers } = require('ethers');

const root = path.resolve(__dirname, '../../../..');
const anvilBin = path.join(root, 'deploy/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil');
const out = path.join(__dirname, '../out');

function artifact(file, name) {
  const j = JSON.parse(fs.readFileSync(path.join(out, file, name + '.json'), 'utf8'));
  return { abi: j.abi, bytecode: j.bytecode.object, iface: new ethers.Interface(j.abi) };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

/// Starts anvil and returns { rpc, transact, deploy, chainId, from, stop }.
async function startAnvil() {
  const port = await freePort();
  const anvil = spawn(anvilBin, ['--port', String(port), '--silent', '--gas-limit', '100000000', '--code-size-limit', '100000'], { stdio: 'ignore' });
  const stop = () => { try { anvil.kill('SIGTERM'); } catch { /* gone */ } };
  process.on('exit', stop);
  const url = `http://127.0.0.1:${port}`;
  let id = 0;
  const rpc = async (method, params) => {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
    const j = await r.json();
    if (j.error) throw new Error(`${method}: ${JSON.stringify(j.error)}`);
    return j.result;
  };
  let chainId = null;
  for (let i = 0; i < 100 && chainId === null; i++) {
    try { chainId = BigInt(await rpc('eth_chainId', [])); } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  if (chainId === null) { stop(); throw new Error('anvil did not answer on ' + url); }
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
    const data = ethers.concat([a.bytecode, a.iface.encodeDeploy(args)]);
    return ethers.getAddress((await transact(null, data)).contractAddress);
  };
  const call = async (to, data) => rpc('eth_call', [{ from, to, data }, 'latest']);
  return { rpc, transact, deploy, call, chainId, from, stop };
}

module.exports = { artifact, startAnvil };
