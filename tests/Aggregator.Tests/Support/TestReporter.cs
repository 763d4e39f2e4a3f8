using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>
/// An in-process reporter for tests: signs ObservationBatches (docs/protocol.md sections 4 and 7) with its signer, also
/// deliberately wrong ones (another domain, any bytes), which the protocol layer's batch signer refuses to make.
/// </summary>
public sealed class TestReporter(ISigner signer, SupplyOracleTypedData typedData)
{
    public Address Address => signer.Address;

    public static IReadOnlyList<TokenObservation> Tokens(int count, ulong factor = 500_000_000_000_000_000, int seed = 1) =>
        [.. Enumerable.Range(1, count).Select(i =>
        {
            var bytes = new byte[20];
            bytes[0] = (byte)seed;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), i);
            return new TokenObservation(new Address(bytes), TokenAmount.Parse("1000000000000000000000000"), new Wad(factor));
        })];

    /// <summary>A batch for round r at the canonical block B_r read from the chain.</summary>
    public async Task<ObservationBatch> BatchAsync(EthereumRpcClient client, ulong round, IReadOnlyList<TokenObservation> tokens, SupplyOracleTypedData? domain = null)
    {
        var block = (await client.GetBlockAsync(BlockId.AtNumber(round * IntakeNetwork.RoundBlocks)))!;
        return await SignAsync(round, block.Number, block.Timestamp, block.Hash, ObservationEncoding.Encode(tokens), domain);
    }

    public async Task<ObservationBatch> SignAsync(ulong round, ulong referenceBlock, ulong referenceTime, Hash32 referenceHash, byte[] observations, SupplyOracleTypedData? domain = null)
    {
        var digest = (domain ?? typedData).ObservationBatchDigest(round, referenceBlock, referenceTime, referenceHash, observations);
        var signature = await signer.SignDigestAsync(digest);
        return new ObservationBatch
        {
            Round = round,
            ReferenceBlock = referenceBlock,
            ReferenceTime = referenceTime,
            ReferenceHash = ByteString.CopyFrom(referenceHash.ToArray()),
            Observations = ByteString.CopyFrom(observations),
            Signature = ByteString.CopyFrom(signature.ToArray()),
            Reporter = ByteString.CopyFrom(signer.Address.ToArray()),
        };
    }
}
