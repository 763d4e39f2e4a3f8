// The independent implementation for differential tests: reads {kind, cases: [...]} as JSON on stdin and prints one
// result per case as a JSON array. ethers 6 from deploy/node_modules (NODE_PATH).
const { ethers } = require('ethers');

function main(input) {
  const { kind, cases } = JSON.parse(input);
  switch (kind) {
    case 'eip712':
      return cases.map(c => {
        const digest = ethers.TypedDataEncoder.hash(c.domain, c.types, c.message);
        const key = new ethers.SigningKey(c.privateKey);
        return { digest, signature: key.sign(digest).serialized, encodeType: ethers.TypedDataEncoder.from(c.types).encodeType(c.primaryType) };
      });
    case 'tx':
      return cases.map(c => {
        const wallet = new ethers.Wallet(c.privateKey);
        const tx = ethers.Transaction.from(c.tx);
        tx.signature = wallet.signingKey.sign(tx.unsignedHash);
        return { raw: tx.serialized, hash: tx.hash, unsignedHash: tx.unsignedHash };
      });
    case 'abi':
      return cases.map(c => ({ encoded: ethers.AbiCoder.defaultAbiCoder().encode(c.types, c.values.map(revive)) }));
    case 'message':
      return cases.map(c => {
        const wallet = new ethers.Wallet(c.privateKey);
        const bytes = ethers.getBytes(c.message);
        return { digest: ethers.hashMessage(bytes), signature: wallet.signingKey.sign(ethers.hashMessage(bytes)).serialized };
      });
    default:
      throw new Error('unknown kind ' + kind);
  }
}

// Integers travel as {"int": "decimal"} so that no precision is lost in JSON numbers.
function revive(v) {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object' && 'int' in v) return BigInt(v.int);
  return v;
}

let data = '';
process.stdin.on('data', d => (data += d));
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(main(data)));
});
