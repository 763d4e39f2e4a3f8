using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Rules.Tests.Encoding;

public sealed class EncodingPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static Gen<Address> Addresses =>
        Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 20).Select(b => new Address(b));

    private static Gen<ulong> Factors => FsCheck.FSharp.Gen.Choose64(1, (long)Wad.OneRaw).Select(v => (ulong)v);

    private static Gen<byte[]> Bytes(int n) => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n);

    [Fact]
    public void ObservationDecode_OfEncode_RoundTripsAnyEntries()
    {
        var entry = Addresses.SelectMany(a => Bytes(32).Where(b => b.Any(x => x != 0)).SelectMany(c => Factors.Select(f =>
            new TokenObservation(a, new TokenAmount(new BigInteger(c, isUnsigned: true, isBigEndian: true)), new Wad(f)))));
        var entries = Gen.ListOf(entry).Select(l => l.DistinctBy(e => e.Token).OrderBy(e => e.Token).ToArray());

        Prop.ForAll(entries.ToArbitrary(), list =>
        {
            var bytes = ObservationEncoding.Encode(list);
            return bytes.Length == list.Length * 60 && ObservationEncoding.Decode(bytes).SequenceEqual(list);
        }).Check(Config);
    }

    [Fact]
    public void UpdateDecode_OfEncode_RoundTripsAnyEntries()
    {
        var entry = Addresses.SelectMany(a => Bytes(16).SelectMany(c => Factors.SelectMany(f => Gen.Choose(0, 2).Select(s =>
            new ReportUpdate(a, System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(c), new Wad(f), (UpdateStatus)s)))));
        var entries = Gen.ListOf(entry).Select(l => l.DistinctBy(e => e.Token).OrderBy(e => e.Token).ToArray());

        Prop.ForAll(entries.ToArbitrary(), list =>
        {
            var bytes = UpdateEncoding.Encode(list);
            return bytes.Length == list.Length * 45 && UpdateEncoding.Decode(bytes).SequenceEqual(list);
        }).Check(Config);
    }

    [Fact]
    public void UpdateDecode_AnyBytes_DecodesOrThrowsMessageEncodingException()
    {
        Prop.ForAll(Gen.Choose(0, 3).SelectMany(n => Bytes(n * 45 + (n % 2))).ToArbitrary(), bytes =>
        {
            try
            {
                var updates = UpdateEncoding.Decode(bytes);
                return UpdateEncoding.Encode(updates).AsSpan().SequenceEqual(bytes);
            }
            catch (MessageEncodingException)
            {
                return true;
            }
        }).Check(Config);
    }
}
