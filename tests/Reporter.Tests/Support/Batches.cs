using System.Numerics;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Reporter.Tests.Support;

/// <summary>Signed ObservationBatches for journal tests, made with the shared protocol signer.</summary>
internal static class Batches
{
    public static readonly PrivateKeySigner Signer = new(PrivateKey.Parse(TestSupport.AnvilNode.DevAccounts[3].PrivateKey));
    public static readonly OracleDeployment Deployment = new(31337, SupplyChain.RandomAddress(), SupplyChain.RandomAddress());

    public static Task<SignedBatch> SignAsync(ulong round, ulong factor) => ObservationBatchSigner.SignAsync(Signer, Deployment,
        new ReportHeader(new RoundId(round), round * 10, 1_700_000_000 + round, Keccak256.Hash(BitConverter.GetBytes(round))), 10,
        [new TokenObservation(Address.Parse("0x00000000000000000000000000000000000000aa"), new TokenAmount(new BigInteger(1_000)), new Wad(factor))]);
}
