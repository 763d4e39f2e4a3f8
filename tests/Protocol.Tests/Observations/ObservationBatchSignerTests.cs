using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Tests.Support;

namespace SupplyOracle.Protocol.Tests.Observations;

public sealed class ObservationBatchSignerTests
{
    private static readonly Protocol.Signing.PrivateKeySigner s_signer = Keys.Signers(1)[0];

    [Fact]
    public async Task SignAsync_DuplicateToken_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ObservationBatchSigner.SignAsync(s_signer, Keys.Deployment, Keys.Header(7), 10,
            [Keys.Observation(1), Keys.Observation(1, 5)]));
    }

    [Fact]
    public async Task SignAsync_NoObservations_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ObservationBatchSigner.SignAsync(s_signer, Keys.Deployment, Keys.Header(7), 10, []));
    }

    [Fact]
    public async Task SignAsync_ReferenceBlockNotRoundTimesRoundBlocks_Throws()
    {
        var header = Keys.Header(7) with { ReferenceBlock = 71 };
        await Assert.ThrowsAsync<ArgumentException>(() => ObservationBatchSigner.SignAsync(s_signer, Keys.Deployment, header, 10, [Keys.Observation(1)]));
    }

    [Fact]
    public async Task SignAsync_SameInput_Deterministic()
    {
        // RFC 6979: the same batch signs to the same bytes, so a re-sent batch is a duplicate, not an equivocation.
        var a = await ObservationBatchSigner.SignAsync(s_signer, Keys.Deployment, Keys.Header(7), 10, [Keys.Observation(2), Keys.Observation(1)]);
        var b = await ObservationBatchSigner.SignAsync(s_signer, Keys.Deployment, Keys.Header(7), 10, [Keys.Observation(1), Keys.Observation(2)]);
        Assert.Equal(a.ToProto(), b.ToProto());
        Assert.Equal([Keys.Token(1), Keys.Token(2)], a.Observations.Select(o => o.Token));
    }
}
