using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Reports;

/// <summary>
/// The arguments of <c>SupplyOracle.commit(uint64 round, uint64 referenceTime, bytes32 referenceHash, bytes updates,
/// bytes signatures)</c> (docs/protocol.md section 6), built by <see cref="CommitBuilder"/>.
/// </summary>
/// <param name="Report">The committed report.</param>
/// <param name="ReportDigest">Its EIP-712 digest (the <c>reportDigest</c> of the <c>Committed</c> event).</param>
/// <param name="Updates">The 45-byte-per-entry updates.</param>
/// <param name="Signatures">65-byte <c>r || s || v</c> signatures concatenated, signers strictly ascending.</param>
/// <param name="Signers">The signers, ascending.</param>
public sealed record CommitArguments(Report Report, Hash32 ReportDigest, byte[] Updates, byte[] Signatures, IReadOnlyList<Address> Signers)
{
    /// <summary>The <c>commit</c> call (for <c>eth_call</c>/<c>eth_estimateGas</c> or a transaction request).</summary>
    public CallRequest ToCall(SupplyOracleContract oracle)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        var h = Report.Header;
        return oracle.CommitCall(h.Round.Value, h.ReferenceTime, h.ReferenceHash, Updates, Signatures);
    }

    /// <summary>Sends the commit with <paramref name="sender"/> and waits for its confirmation.</summary>
    public Task<ConfirmedTransaction> SendAsync(SupplyOracleContract oracle, TransactionSender sender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        var h = Report.Header;
        return oracle.CommitAsync(sender, h.Round.Value, h.ReferenceTime, h.ReferenceHash, Updates, Signatures, cancellationToken);
    }
}

/// <summary>Why <see cref="CommitBuilder.Build"/> refused.</summary>
public enum CommitBuildError
{
    /// <summary>The report has no updates: the contract reverts <c>EmptyReport</c> and section 5 forbids proposing it.</summary>
    EmptyReport,

    /// <summary>An attestation signs another report.</summary>
    DigestMismatch,

    /// <summary>Fewer distinct signers than <c>minReporters</c>.</summary>
    InsufficientAttestations,
}

/// <summary>Thrown by <see cref="CommitBuilder.Build"/>; <see cref="Error"/> says why.</summary>
public sealed class CommitBuildException(CommitBuildError error, string message) : Exception(message)
{
    /// <summary>Why.</summary>
    public CommitBuildError Error { get; } = error;
}

/// <summary>Builds the commit transaction from a report and its attestations (docs/protocol.md section 6).</summary>
public static class CommitBuilder
{
    /// <summary>
    /// Checks every attestation signs <paramref name="report"/>, keeps one per signer, sorts them by signer address
    /// strictly ascending (how the contract rejects duplicates) and concatenates the 65-byte signatures. Throws
    /// <see cref="CommitBuildException"/> for an empty report, an attestation of another report, or fewer than
    /// <paramref name="minReporters"/> distinct signers. Attestations are assumed verified
    /// (<see cref="AttestationVerifier"/>): registration is the contract's to enforce at commit time.
    /// </summary>
    public static CommitArguments Build(OracleDeployment deployment, Report report, IEnumerable<SignedAttestation> attestations, int minReporters)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(attestations);
        ArgumentOutOfRangeException.ThrowIfLessThan(minReporters, 1);
        if (report.Updates.Count == 0)
        {
            throw new CommitBuildException(CommitBuildError.EmptyReport, "a report with no updates is never committed (docs/protocol.md section 5)");
        }

        var digest = ReportMessages.Digest(deployment, report);
        var bySigner = new SortedDictionary<Address, SignedAttestation>();
        foreach (var a in attestations)
        {
            ArgumentNullException.ThrowIfNull(a);
            if (a.ReportDigest != digest)
            {
                throw new CommitBuildException(CommitBuildError.DigestMismatch, $"the attestation of {a.Signer} signs {a.ReportDigest}, the report is {digest}");
            }

            bySigner.TryAdd(a.Signer, a);
        }

        if (bySigner.Count < minReporters)
        {
            throw new CommitBuildException(CommitBuildError.InsufficientAttestations,
                $"{bySigner.Count} distinct signers, the contract requires minReporters = {minReporters}");
        }

        var signatures = new byte[bySigner.Count * Signature.Size];
        var i = 0;
        foreach (var a in bySigner.Values)
        {
            a.Signature.CopyTo(signatures.AsSpan(i++ * Signature.Size, Signature.Size));
        }

        return new CommitArguments(report, digest, report.EncodeUpdates(), signatures, [.. bySigner.Keys]);
    }
}
