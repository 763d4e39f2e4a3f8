// A third party's check of a round's audit trail (README "Round audit"), written against ethers 6 only: nothing here
// shares code with the aggregator. Usage: node verify-audit.js AUDIT_URL RPC_URL. Prints one JSON object.
const { ethers } = require('ethers');

async function main(auditUrl, rpcUrl) {
  const response = await fetch(auditUrl);
  if (!response.ok) throw new Error(`${auditUrl} answered ${response.status}`);
  const audit = await response.json();
  const provider = new ethers.JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  const oracle = new ethers.Contract(audit.domain.verifyingContract, [
    'function isReporter(address) view returns (bool)',
    'function commit(uint64 round, uint64 referenceTime, bytes32 referenceHash, bytes updates, bytes signatures)',
    'event Committed(uint64 indexed round, uint64 referenceTime, bytes32 reportDigest, uint256 committed, uint256 frozen, uint256 rejected)',
  ], provider);
  const stateBlock = Number(audit.proposal.stateBlock);

  // Every signed batch: the EIP-712 digest recomputed, the signer recovered and registered at the state block.
  const batches = [];
  for (const b of audit.batches) {
    const types = { ObservationBatch: audit.types.ObservationBatch };
    const digest = ethers.TypedDataEncoder.hash(audit.domain, types, b.message);
    const recovered = ethers.verifyTypedData(audit.domain, types, b.message, b.signature);
    const registered = await oracle.isReporter(recovered, { blockTag: stateBlock });
    batches.push({ signer: b.signer, recovered, digestMatches: digest === b.digest, registered, equivocation: b.equivocation });
  }

  // The report digest recomputed from the report's fields; every attestation recovers over it.
  const report = audit.proposal.report;
  const reportDigest = ethers.TypedDataEncoder.hash(audit.domain, { Report: audit.types.Report }, report);
  const attestations = audit.attestations.map(a => ({
    signer: a.signer,
    recovered: ethers.recoverAddress(reportDigest, a.signature),
    digestMatches: a.reportDigest === reportDigest,
  }));

  // The commit transaction: its calldata carries exactly this report, and its Committed event this digest.
  const tx = await provider.getTransaction(audit.commit.transactionHash);
  const call = oracle.interface.parseTransaction({ data: tx.data });
  const receipt = await provider.getTransactionReceipt(audit.commit.transactionHash);
  const committed = receipt.logs.map(l => { try { return oracle.interface.parseLog(l); } catch { return null; } }).find(l => l && l.name === 'Committed');
  return {
    batches,
    reportDigest,
    proposedReportDigest: audit.proposal.reportDigest,
    attestations,
    commit: {
      round: call.args.round.toString(),
      updatesMatch: call.args.updates === report.updates,
      referenceHashMatches: call.args.referenceHash === report.referenceHash,
      referenceTimeMatches: call.args.referenceTime.toString() === report.referenceTime,
      committedDigest: committed ? committed.args.reportDigest : null,
      status: receipt.status,
    },
  };
}

main(process.argv[2], process.argv[3]).then(
  result => { process.stdout.write(JSON.stringify(result)); },
  error => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
