using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>A round made ready to transmit: 3 reporters' batches accepted, the round closed, 3 verified attestations.</summary>
public static class RoundScenario
{
    public static async Task<(Rules.Engine.Report Report, List<SignedAttestation> Attestations)> PrepareAsync(IntakeNetwork network, ulong round)
    {
        var intake = network.CreateIntake();
        var tokens = network.Network.Tokens.Select(t => t.Address).Order().ToArray();
        IReadOnlyList<TokenObservation> figures = [.. tokens.Select(t => new TokenObservation(t, TokenAmount.Parse("1000000000000000000000000"), new Wad(500_000_000_000_000_000)))];
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await intake.SubmitAsync(await network.Reporter(i).BatchAsync(network.Network.Client, round, figures), "test", default)).Accepted);
        }

        var proposal = (await network.CreateCloser().CloseAsync(round, default)).Proposal!;
        var report = ReportMessages.FromProto(proposal.Report);
        var digest = ReportMessages.Digest(network.Network.Deployment, report);
        var snapshot = await network.Network.StateReader.ReadAsync(await network.Network.Client.BlockNumberAsync());
        var attestations = new List<SignedAttestation>();
        foreach (var signer in network.Network.Reporters.Take(3))
        {
            var signed = await AttestationSigner.SignAsync(signer, network.Network.Deployment, report);
            attestations.Add(AttestationVerifier.Verify(signed.ToProto(proposal.ProposalId), report.Header.Round, digest, snapshot.Reporters).GetValueOrThrow());
        }

        return (report, attestations);
    }
}
