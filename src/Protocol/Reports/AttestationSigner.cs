using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Internal;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Reports;

/// <summary>
/// Signs a report (the attestation of docs/protocol.md section 6). Call it only with the report a
/// <see cref="Proposals.ProposalVerifier"/> accepted: a reporter attests only a report it re-computed byte for byte.
/// </summary>
public static class AttestationSigner
{
    /// <summary>Signs the report's EIP-712 digest (section 7).</summary>
    public static async Task<SignedAttestation> SignAsync(ISigner signer, OracleDeployment deployment, Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(report);
        var digest = ReportMessages.Digest(deployment, report);
        var signature = await CheckedSigning.SignAsync(signer, digest, cancellationToken).ConfigureAwait(false);
        return new SignedAttestation(report.Header.Round, digest, signer.Address, signature);
    }
}
