using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Tests.Transmission;

/// <summary>Intake → close → attestations → commit on a real anvil with the real contracts.</summary>
public sealed class RoundTransmitterTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    [Fact]
    public async Task TransmitAsync_ThreeAttestations_CommitsOnChainOnceAndIsIdempotent()
    {
        var intake = network.CreateIntake();
        var tokens = network.Network.Tokens.Select(t => t.Address).Order().ToArray();
        IReadOnlyList<TokenObservation> figures = [.. tokens.Select(t => new TokenObservation(t, TokenAmount.Parse("1000000000000000000000000"), new Wad(500_000_000_000_000_000)))];
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await intake.SubmitAsync(await network.Reporter(i).BatchAsync(network.Network.Client, 45, figures), "test", default)).Accepted);
        }

        var proposal = (await network.CreateCloser().CloseAsync(45, default)).Proposal!;
        var report = ReportMessages.FromProto(proposal.Report);
        var digest = ReportMessages.Digest(network.Network.Deployment, report);
        var snapshot = await network.Network.StateReader.ReadAsync(await network.Network.Client.BlockNumberAsync());
        var attestations = new List<SignedAttestation>();
        foreach (var signer in network.Network.Reporters.Take(3))
        {
            var signed = await AttestationSigner.SignAsync(signer, network.Network.Deployment, report);
            // As received over the wire: verified against the reporter set before it counts.
            attestations.Add(AttestationVerifier.Verify(signed.ToProto(proposal.ProposalId), report.Header.Round, digest, snapshot.Reporters).GetValueOrThrow());
        }

        var first = await network.CreateTransmitter().TransmitAsync(report, attestations, 3, default);
        var second = await network.CreateTransmitter().TransmitAsync(report, attestations, 3, default);

        Assert.Equal(TransmissionOutcome.Confirmed, first);
        Assert.Equal(TransmissionOutcome.Confirmed, second); // the round's recorded outcome: nothing sent or recorded again
        Assert.Equal(45UL, await network.Network.Oracle.LastRoundAsync());
        var onChain = await network.Network.Oracle.FreeFloatFactorAsync(tokens[0]);
        Assert.Equal(500_000_000_000_000_000UL, onChain.Factor);
        var types = new List<string>();
        await foreach (var e in network.Store.ReadStreamAsync("round-45"))
        {
            types.Add(e.Type);
        }

        Assert.Equal(
            [.. Enumerable.Repeat(IntakeEventNames.ObservationAccepted, 3), RoundEventNames.RoundClosed, RoundEventNames.RoundProposed,
                TransmissionEventNames.TransmissionIntended, TransmissionEventNames.RoundConfirmed],
            types);
    }
}
