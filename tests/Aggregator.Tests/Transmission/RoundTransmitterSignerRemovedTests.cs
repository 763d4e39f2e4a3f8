using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Protocol.Reports;

namespace SupplyOracle.Aggregator.Tests.Transmission;

/// <summary>
/// Issue 18 item 4, docs/protocol.md section 6: a reporter removed between attesting and the commit does not sink the round.
/// The transmitter sends every verified attestation it holds; the contract skips the removed signer's well-formed
/// signature and counts the rest. (Own fixture: the test changes the reporter set.)
/// </summary>
public sealed class RoundTransmitterSignerRemovedTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    [Fact]
    public async Task TransmitAsync_SignerRemovedAfterAttesting_ConfirmedWithTheOtherSignatures()
    {
        var (report, attestations) = await TransmissionHarness.NextRoundAsync(network);
        var fourth = network.Network.Reporters[3];
        attestations.Add(await AttestationSigner.SignAsync(fourth, network.Network.Deployment, report));
        var removed = network.Network.Reporters[0];
        await network.Network.Oracle.RemoveReporterAsync(network.Network.Owner, removed.Address);
        Assert.False(await network.Network.Oracle.IsReporterAsync(removed.Address));

        var outcome = await network.CreateTransmitter().TransmitAsync(report, attestations, 3, default);

        Assert.Equal(TransmissionOutcome.Confirmed, outcome);
        Assert.Equal(report.Header.Round.Value, await network.Network.Oracle.LastRoundAsync());
        var intended = (TransmissionIntended)(await TransmissionHarness.EventsAsync(network, report.Header.Round.Value))
            .Single(e => e.Type == TransmissionEventNames.TransmissionIntended).Event;
        Assert.Contains(removed.Address.ToChecksumString(), intended.Signers);
        Assert.Equal(4, intended.Signers.Count);
    }
}
