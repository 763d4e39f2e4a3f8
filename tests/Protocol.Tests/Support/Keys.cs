using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Tests.Support;

/// <summary>Generated keys and a deployment for unit tests (no chain).</summary>
internal static class Keys
{
    public static OracleDeployment Deployment { get; } =
        new(31337, Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"), Address.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"));

    public static PrivateKeySigner[] Signers(int count) => [.. Enumerable.Range(0, count).Select(_ => new PrivateKeySigner(PrivateKey.Generate()))];

    public static ReporterSet Set(IEnumerable<ISigner> signers) => new(signers.Select(s => s.Address));

    public static Address Token(int i)
    {
        var bytes = new byte[20];
        bytes[0] = 0x10;
        bytes[19] = (byte)i;
        return new Address(bytes);
    }

    public static ReportHeader Header(ulong round, ulong roundBlocks = 10, ulong time = 1_700_000_000) =>
        new(new RoundId(round), round * roundBlocks, time, Keccak256.Hash(BitConverter.GetBytes(round)));

    public static TokenObservation Observation(int token, ulong circulating = 1_000_000, ulong factor = 500_000_000_000_000_000) =>
        new(Token(token), new TokenAmount(new System.Numerics.BigInteger(circulating)), new Wad(factor));
}
