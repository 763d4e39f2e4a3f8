using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Tests.Support;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Protocol.Verification;

namespace SupplyOracle.Protocol.Tests.Observations;

public sealed class BatchVerifierTests
{
    private static readonly Protocol.Signing.PrivateKeySigner[] s_signers = Keys.Signers(3);
    private static readonly ReporterSet s_reporters = Keys.Set(s_signers);
    private static readonly BatchVerifier s_verifier = new(Keys.Deployment);
    private static readonly BatchExpectations s_expect = new(10, s_reporters);

    private static async Task<V1.ObservationBatch> SignedAsync(int signer = 0, ulong round = 7, Protocol.Deployment.OracleDeployment? deployment = null)
    {
        var batch = await ObservationBatchSigner.SignAsync(s_signers[signer], deployment ?? Keys.Deployment, Keys.Header(round), 10,
            [Keys.Observation(3), Keys.Observation(1, 42, 1), Keys.Observation(2, ulong.MaxValue, 1_000_000_000_000_000_000)]);
        return batch.ToProto();
    }

    private static ProtocolRejection Rejected(V1.ObservationBatch message, BatchExpectations? expect = null)
    {
        var result = s_verifier.Verify(message, expect ?? s_expect);
        Assert.False(result.IsValid);
        return result.Rejection;
    }

    [Fact]
    public async Task Verify_SignedBatch_ReturnsSignerDigestAndSortedObservations()
    {
        var message = await SignedAsync(1);

        var result = s_verifier.Verify(V1.ObservationBatch.Parser.ParseFrom(message.ToByteArray()), s_expect);

        Assert.True(result.IsValid);
        Assert.Equal(s_signers[1].Address, result.Value.Reporter);
        Assert.Equal([Keys.Token(1), Keys.Token(2), Keys.Token(3)], result.Value.Observations.Select(o => o.Token));
        var h = Keys.Header(7);
        Assert.Equal(Keys.Deployment.TypedData.ObservationBatchDigest(7, 70, h.ReferenceTime, h.ReferenceHash, message.Observations.Span), result.Value.Digest);
        Assert.Equal(result.Value.Digest, result.MessageHash);
        Assert.Equal(h, result.Value.Header);
        Assert.Equal(message, result.Value.ToProto());
    }

    [Fact]
    public async Task Verify_ObservationsNotMultipleOf60_Malformed()
    {
        var message = await SignedAsync();
        message.Observations = ByteString.CopyFrom(message.Observations.Span[..59]);
        Assert.Equal(RejectReason.Malformed, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_TokensNotAscending_Malformed()
    {
        var message = await SignedAsync();
        var bytes = message.Observations.ToByteArray();
        var swapped = bytes[60..120].Concat(bytes[..60]).Concat(bytes[120..]).ToArray();
        message.Observations = ByteString.CopyFrom(swapped);
        var rejection = Rejected(message);
        Assert.Equal(RejectReason.Malformed, rejection.Reason);
        Assert.Contains("ascending", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1_000_000_000_000_000_001UL)]
    public async Task Verify_FactorOutOfRange_Malformed(ulong factor)
    {
        var message = await SignedAsync();
        var bytes = message.Observations.ToByteArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(52, 8), factor);
        message.Observations = ByteString.CopyFrom(bytes);
        Assert.Equal(RejectReason.Malformed, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_ZeroCirculating_Malformed()
    {
        var message = await SignedAsync();
        var bytes = message.Observations.ToByteArray();
        bytes.AsSpan(20, 32).Clear();
        message.Observations = ByteString.CopyFrom(bytes);
        Assert.Equal(RejectReason.Malformed, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_EmptyObservations_Malformed()
    {
        var message = await SignedAsync();
        message.Observations = ByteString.Empty;
        Assert.Equal(RejectReason.Malformed, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_ShortReferenceHash_Malformed()
    {
        var message = await SignedAsync();
        message.ReferenceHash = ByteString.CopyFrom(new byte[31]);
        Assert.Equal(RejectReason.Malformed, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_ReferenceBlockNotRoundTimesRoundBlocks_WrongReferenceBlock()
    {
        var message = await SignedAsync();
        Assert.Equal(RejectReason.WrongReferenceBlock, Rejected(message, s_expect with { RoundBlocks = 11 }).Reason);
        message.ReferenceBlock = 71;
        Assert.Equal(RejectReason.WrongReferenceBlock, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_OtherRoundThanCanonical_WrongRound()
    {
        var message = await SignedAsync(round: 7);
        Assert.Equal(RejectReason.WrongRound, Rejected(message, s_expect with { Canonical = Keys.Header(8) }).Reason);
    }

    [Fact]
    public async Task Verify_OtherHashThanCanonical_NotCanonical()
    {
        var message = await SignedAsync(round: 7);
        var canonical = Keys.Header(7) with { ReferenceHash = Keccak256.Hash([1]) };
        var result = s_verifier.Verify(message, s_expect with { Canonical = canonical });
        Assert.Equal(RejectReason.NotCanonical, result.Rejection!.Reason);
        Assert.NotNull(result.MessageHash);
    }

    [Fact]
    public async Task Verify_SameHeaderAsCanonical_Valid()
    {
        var message = await SignedAsync(round: 7);
        Assert.True(s_verifier.Verify(message, s_expect with { Canonical = Keys.Header(7) }).IsValid);
    }

    [Fact]
    public async Task Verify_SignatureNot65Bytes_BadSignature()
    {
        var message = await SignedAsync();
        message.Signature = ByteString.CopyFrom(message.Signature.Span[..64]);
        Assert.Equal(RejectReason.BadSignature, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_HighS_BadSignature()
    {
        // EIP-2: (r, n - s, v ^ 1) is the same signature's malleated twin; it must not count.
        var message = await SignedAsync();
        var signature = Signature.FromBytes(message.Signature.Span);
        var n = System.Numerics.BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337", System.Globalization.CultureInfo.InvariantCulture);
        var s = new System.Numerics.BigInteger(signature.S.ToArray(), isUnsigned: true, isBigEndian: true);
        var highS = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var bytes = message.Signature.ToByteArray();
        bytes.AsSpan(32, 32).Clear();
        highS.CopyTo(bytes.AsSpan(64 - highS.Length));
        bytes[64] = (byte)(bytes[64] == 27 ? 28 : 27);
        message.Signature = ByteString.CopyFrom(bytes);

        var rejection = Rejected(message);

        Assert.Equal(RejectReason.BadSignature, rejection.Reason);
        Assert.Contains("HighS", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(29)]
    public async Task Verify_VNot27Or28_BadSignature(byte v)
    {
        var message = await SignedAsync();
        var bytes = message.Signature.ToByteArray();
        bytes[64] = v;
        message.Signature = ByteString.CopyFrom(bytes);
        Assert.Equal(RejectReason.BadSignature, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_AlteredObservation_SignerNotRegistered()
    {
        // Any change to the signed bytes recovers some other address: unknown signer.
        var message = await SignedAsync();
        var bytes = message.Observations.ToByteArray();
        bytes[58] ^= 1; // factor 1 becomes 257: still valid, but not what was signed
        message.Observations = ByteString.CopyFrom(bytes);
        message.Reporter = ByteString.Empty;
        Assert.Equal(RejectReason.UnknownSigner, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_UnregisteredSigner_UnknownSigner()
    {
        var message = await SignedAsync();
        Assert.Equal(RejectReason.UnknownSigner, Rejected(message, s_expect with { Reporters = Keys.Set(Keys.Signers(2)) }).Reason);
    }

    [Fact]
    public async Task Verify_SignedUnderWellKnownOtherChainId_WrongDomainWithOrWithoutReporterField()
    {
        // Signed under chain id 31337, verified by a deployment on chain id 1: recovery under 31337 gives the reporter.
        var message = await SignedAsync();
        var other = new BatchVerifier(new Protocol.Deployment.OracleDeployment(1, Keys.Deployment.Oracle, Keys.Deployment.Registry));
        var anonymous = message.Clone();
        anonymous.Reporter = ByteString.Empty;

        Assert.Equal(RejectReason.WrongDomain, other.Verify(message, s_expect).Rejection!.Reason);
        Assert.Equal(RejectReason.WrongDomain, other.Verify(anonymous, s_expect).Rejection!.Reason);
        Assert.Contains("chain id 31337", other.Verify(anonymous, s_expect).Rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SignedUnderUnusualChainId_BadSignatureWhenNamedUnknownSignerWhenNot()
    {
        // Signed under a chain id nobody would enumerate: it cannot be told from other bytes, so no WRONG_DOMAIN guess.
        var message = await SignedAsync(deployment: new Protocol.Deployment.OracleDeployment(424_242, Keys.Deployment.Oracle, Keys.Deployment.Registry));
        var anonymous = message.Clone();
        anonymous.Reporter = ByteString.Empty;

        Assert.Equal(RejectReason.BadSignature, Rejected(message).Reason);
        Assert.Equal(RejectReason.UnknownSigner, Rejected(anonymous).Reason);
    }

    [Fact]
    public async Task Verify_CorruptedSignatureNamingRegisteredReporter_BadSignature()
    {
        var message = await SignedAsync();
        var bytes = message.Signature.ToByteArray();
        bytes[5] ^= 0x40;
        message.Signature = ByteString.CopyFrom(bytes);

        var rejection = Rejected(message);

        // Either r no longer lies on the curve (unrecoverable) or it recovers to a stranger: never WRONG_DOMAIN.
        Assert.Equal(RejectReason.BadSignature, rejection.Reason);
    }

    [Fact]
    public async Task Verify_ReporterFieldNamesAnotherReporter_BadSignature()
    {
        var message = await SignedAsync(0);
        message.Reporter = ByteString.CopyFrom(s_signers[1].Address.ToArray());
        Assert.Equal(RejectReason.BadSignature, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_ReporterField19Bytes_Malformed()
    {
        var message = await SignedAsync(0);
        message.Reporter = ByteString.CopyFrom(new byte[19]);
        Assert.Equal(RejectReason.Malformed, Rejected(message).Reason);
    }

    [Fact]
    public async Task Verify_Rejected_CountedInMeterByReason()
    {
        var message = await SignedAsync();
        message.ReferenceBlock = 71;
        var seen = new System.Collections.Concurrent.ConcurrentBag<(string Kind, string Result)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "SupplyOracle.Protocol" && instrument.Name == "supplyoracle.protocol.verifications")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(x => x.Key, x => x.Value as string);
            seen.Add((t["message.kind"]!, t["result"]!));
        });
        listener.Start();

        s_verifier.Verify(message, s_expect);

        Assert.Contains(("batch", "WrongReferenceBlock"), seen);
    }

    [Fact]
    public async Task GetValueOrThrow_Rejected_ThrowsWithReason()
    {
        var message = await SignedAsync();
        message.Observations = ByteString.Empty;
        var e = Assert.Throws<ProtocolRejectionException>(() => s_verifier.Verify(message, s_expect).GetValueOrThrow());
        Assert.Equal(RejectReason.Malformed, e.Reason);
    }

    [Fact]
    public async Task ToAcknowledgement_Rejected_CarriesReasonHashAndRound()
    {
        var message = await SignedAsync(round: 7);
        var result = s_verifier.Verify(message, s_expect with { Canonical = Keys.Header(8) });
        var ack = result.Rejection!.ToAcknowledgement(result.MessageHash, 7);
        Assert.False(ack.Accepted);
        Assert.Equal(RejectReason.WrongRound, ack.Reason);
        Assert.Equal(result.MessageHash!.Value.ToArray(), ack.MessageHash.ToByteArray());
        Assert.Equal(7UL, ack.Round);
    }

    [Fact]
    public void Verify_RoundTimesRoundBlocksOverflows_WrongReferenceBlock()
    {
        var message = new V1.ObservationBatch { Round = ulong.MaxValue, ReferenceBlock = ulong.MaxValue, ReferenceHash = ByteString.CopyFrom(new byte[32]),
            Observations = ByteString.CopyFrom(ObservationEncoding_One()), Signature = ByteString.CopyFrom(new byte[65]) };
        Assert.Equal(RejectReason.WrongReferenceBlock, Rejected(message).Reason);
    }

    private static byte[] ObservationEncoding_One() => Rules.Encoding.ObservationEncoding.Encode([Keys.Observation(1)]);
}
