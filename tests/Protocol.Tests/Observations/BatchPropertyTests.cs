using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Tests.Support;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Tests.Observations;

public sealed class BatchPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(150);
    private static readonly Protocol.Signing.PrivateKeySigner[] s_signers = Keys.Signers(2);
    private static readonly BatchExpectations s_expect = new(300, Keys.Set(s_signers));
    private static readonly BatchVerifier s_verifier = new(Keys.Deployment);

    private static Gen<byte[]> Bytes(int n) => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n);

    private static Gen<TokenObservation[]> Observations =>
        Gen.NonEmptyListOf(Bytes(20).SelectMany(a => Bytes(32).Where(b => b.Any(x => x != 0)).SelectMany(c =>
                FsCheck.FSharp.Gen.Choose64(1, (long)Wad.OneRaw).Select(f =>
                    new TokenObservation(new Address(a), new TokenAmount(new BigInteger(c, isUnsigned: true, isBigEndian: true)), new Wad((ulong)f))))))
            .Select(l => l.DistinctBy(o => o.Token).ToArray());

    [Fact]
    public void Verify_OfSignedBatchOverTheWire_RecoversSignerAndObservations()
    {
        var input = Observations.SelectMany(o => FsCheck.FSharp.Gen.Choose64(0, long.MaxValue / 300).Select(r => (Observations: o, Round: (ulong)r)));
        Prop.ForAll(input.ToArbitrary(), x =>
        {
            var header = new ReportHeader(new RoundId(x.Round), x.Round * 300, x.Round + 1_600_000_000, Contracts.Bindings.Crypto.Keccak256.Hash(BitConverter.GetBytes(x.Round)));
            var signed = ObservationBatchSigner.SignAsync(s_signers[(int)(x.Round % 2)], Keys.Deployment, header, 300, x.Observations).GetAwaiter().GetResult();
            var received = V1.ObservationBatch.Parser.ParseFrom(signed.ToProto().ToByteArray());

            var result = s_verifier.Verify(received, s_expect);

            return result.IsValid
                && result.Value.Reporter == s_signers[(int)(x.Round % 2)].Address
                && result.Value.Digest == signed.Digest
                && result.Value.Header == header
                && result.Value.Observations.SequenceEqual(x.Observations.OrderBy(o => o.Token));
        }).Check(s_config);
    }

    [Fact]
    public void Verify_AnyFlippedSignedByte_NeverValidForTheSigner()
    {
        var input = Observations.SelectMany(o => Gen.Choose(0, 1_000_000).Select(i => (Observations: o, Flip: i)));
        Prop.ForAll(input.ToArbitrary(), x =>
        {
            var header = Keys.Header(3, 300);
            var message = ObservationBatchSigner.SignAsync(s_signers[0], Keys.Deployment, header, 300, x.Observations).GetAwaiter().GetResult().ToProto();
            var bytes = message.Observations.ToByteArray();
            bytes[x.Flip % bytes.Length] ^= (byte)(1 << (x.Flip % 8));
            message.Observations = ByteString.CopyFrom(bytes);

            var result = s_verifier.Verify(message, s_expect);

            // Either the altered bytes no longer parse, or the signature no longer belongs to the reporter.
            return !result.IsValid && result.Rejection.Reason is V1.RejectReason.Malformed or V1.RejectReason.UnknownSigner or V1.RejectReason.BadSignature;
        }).Check(s_config);
    }
}
