using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Reporter.Gossip;
using SupplyOracle.Reporter.Tests.Support;

namespace SupplyOracle.Reporter.Tests.Gossip;

/// <summary>The relay's bounded dedup memory.</summary>
public sealed class SeenBatchesTests
{
    private static readonly Address s_signer = SupplyChain.RandomAddress();
    private static readonly Address s_other = SupplyChain.RandomAddress();

    [Fact]
    public void TryAdd_SameDigestFromAnotherSigner_IsNew()
    {
        var seen = new SeenBatches(8);
        var digest = Keccak256.Hash([1]);

        Assert.Equal(SeenResult.New, seen.TryAdd(10, s_signer, digest));
        Assert.Equal(SeenResult.Duplicate, seen.TryAdd(10, s_signer, digest));
        Assert.Equal(SeenResult.New, seen.TryAdd(10, s_other, digest));
    }

    [Fact]
    public void TryAdd_ThirdDistinctBatchOfASignerInARound_TooMany()
    {
        var seen = new SeenBatches(8);

        Assert.Equal(SeenResult.New, seen.TryAdd(10, s_signer, Keccak256.Hash([1])));
        Assert.Equal(SeenResult.New, seen.TryAdd(10, s_signer, Keccak256.Hash([2])));
        Assert.Equal(SeenResult.TooManyFromSigner, seen.TryAdd(10, s_signer, Keccak256.Hash([3])));
        Assert.Equal(SeenResult.New, seen.TryAdd(11, s_signer, Keccak256.Hash([3])));
    }

    [Fact]
    public void Prune_RoundsOlderThanTheWindow_AreForgottenAndRecentOnesKept()
    {
        var seen = new SeenBatches(2);
        for (ulong round = 1; round <= 10; round++)
        {
            seen.TryAdd(round, s_signer, Keccak256.Hash([(byte)round]));
        }

        seen.Prune(10);

        Assert.Equal(3, seen.Count); // rounds 8, 9 and 10
        Assert.Equal(SeenResult.Duplicate, seen.TryAdd(8, s_signer, Keccak256.Hash([8])));
        Assert.Equal(SeenResult.New, seen.TryAdd(7, s_signer, Keccak256.Hash([7])));
    }
}
