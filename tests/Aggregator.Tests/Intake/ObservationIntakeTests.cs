using System.Numerics;
using System.Text.Json;
using Google.Protobuf;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Tests.Intake;

/// <summary>Intake against a real anvil with the contracts deployed and a real PostgreSQL event store.</summary>
public sealed class ObservationIntakeTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    private static readonly BigInteger s_curveOrder = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    private SupplyOracleTypedData TypedData => network.Network.Deployment.TypedData;

    private EthereumRpcClient Client => network.Network.Client;

    private TestReporter Reporter(int i) => network.Reporter(i);

    [Fact]
    public async Task SubmitAsync_ValidBatch_AcceptedAndRecordedInRoundStream()
    {
        var intake = network.CreateIntake();
        var batch = await Reporter(0).BatchAsync(Client, 10, TestReporter.Tokens(5));

        var verdict = await intake.SubmitAsync(batch, "test", default);

        Assert.True(verdict.Accepted, verdict.Message);
        var events = await ReadAsync("round-10");
        var accepted = Assert.Single(events, e => e.Type == IntakeEventNames.ObservationAccepted);
        Assert.Contains(Reporter(0).Address.ToChecksumString(), accepted.Json, StringComparison.Ordinal);
        Assert.Contains(verdict.MessageHash.ToString(), accepted.Json, StringComparison.Ordinal);
        // The acknowledgement's hash is the batch's EIP-712 digest (gossip.proto Acknowledgement.message_hash).
        Assert.Equal(TypedData.ObservationBatchDigest(10, batch.ReferenceBlock, batch.ReferenceTime, new Hash32(batch.ReferenceHash.Span), batch.Observations.Span), verdict.MessageHash);
    }

    [Fact]
    public async Task SubmitAsync_SameBatchTwiceAndAfterRestart_DuplicateAndRecordedOnce()
    {
        var batch = await Reporter(1).BatchAsync(Client, 11, TestReporter.Tokens(3));
        Assert.True((await network.CreateIntake().SubmitAsync(batch, "test", default)).Accepted);
        var intake = network.CreateIntake();   // a restarted aggregator: state comes back from the log

        var again = await intake.SubmitAsync(batch, "test", default);
        var third = await intake.SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.Duplicate, again.Reason);
        Assert.Equal(RejectReason.Duplicate, third.Reason);
        Assert.Single(await ReadAsync("round-11"));
    }

    [Fact]
    public async Task SubmitAsync_TwoDifferentBatchesOfOneReporterAcrossRestart_EquivocationWithBothKept()
    {
        var reporter = Reporter(2);
        var first = await reporter.BatchAsync(Client, 12, TestReporter.Tokens(3));
        var second = await reporter.BatchAsync(Client, 12, TestReporter.Tokens(3, factor: 600_000_000_000_000_000));
        Assert.True((await network.CreateIntake().SubmitAsync(first, "test", default)).Accepted);

        var intake = network.CreateIntake();
        var verdict = await intake.SubmitAsync(second, "test", default);
        var firstAgain = await intake.SubmitAsync(first, "test", default);

        Assert.Equal(RejectReason.Equivocation, verdict.Reason);
        Assert.Equal(RejectReason.Duplicate, firstAgain.Reason);
        var events = await ReadAsync("round-12");
        Assert.Equal([IntakeEventNames.ObservationAccepted, IntakeEventNames.EquivocationDetected], events.Select(e => e.Type));
        using var evidence = JsonDocument.Parse(events[1].Json);
        Assert.Equal(Field(events[0], "digest"), evidence.RootElement.GetProperty("firstDigest").GetString());
        Assert.Equal(verdict.MessageHash.ToString(), evidence.RootElement.GetProperty("second").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task SubmitAsync_TwoReportersWithIdenticalFigures_BothAccepted()
    {
        // The EIP-712 ObservationBatch does not name its signer: identical figures give identical digests.
        var intake = network.CreateIntake();
        var first = await Reporter(5).BatchAsync(Client, 19, TestReporter.Tokens(4));
        var second = await Reporter(6).BatchAsync(Client, 19, TestReporter.Tokens(4));

        var a = await intake.SubmitAsync(first, "test", default);
        var b = await intake.SubmitAsync(second, "test", default);

        Assert.Equal(a.MessageHash, b.MessageHash);
        Assert.True(a.Accepted && b.Accepted, $"{a.Reason} {b.Reason}");
        Assert.Equal(2, (await ReadAsync("round-19")).Count);
    }

    [Fact]
    public async Task SubmitAsync_HighS_BadSignatureRecorded()
    {
        var batch = await Reporter(3).BatchAsync(Client, 13, TestReporter.Tokens(2));
        var signature = batch.Signature.ToByteArray();
        // EIP-2: (r, n - s) with the other v is the same signature's malleated twin; it must be refused.
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        (s_curveOrder - s).ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(signature.AsSpan(32 + 32 - (s_curveOrder - s).GetByteCount(isUnsigned: true)));
        signature[64] = (byte)(signature[64] == 27 ? 28 : 27);
        batch.Signature = ByteString.CopyFrom(signature);

        var verdict = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.BadSignature, verdict.Reason);
        await AssertRejectionRecordedAsync(verdict, "BadSignature");
    }

    [Fact]
    public async Task SubmitAsync_VOfZero_BadSignature()
    {
        var batch = await Reporter(3).BatchAsync(Client, 13, TestReporter.Tokens(2, seed: 9));
        var signature = batch.Signature.ToByteArray();
        signature[64] -= 27;
        batch.Signature = ByteString.CopyFrom(signature);

        Assert.Equal(RejectReason.BadSignature, (await network.CreateIntake().SubmitAsync(batch, "test", default)).Reason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SubmitAsync_SignedUnderAnotherKnownChainId_WrongDomainRecorded(bool namesReporter)
    {
        // Chain id 1 with this oracle's address: recovering under that domain gives the registered reporter, so the
        // aggregator knows for certain the batch was signed under another chain id, with or without the reporter field.
        var domain = new SupplyOracleTypedData(1, network.Network.Deployment.Oracle);
        var batch = await Reporter(4).BatchAsync(Client, 14, TestReporter.Tokens(2), domain);
        if (!namesReporter)
        {
            batch.Reporter = ByteString.Empty;
        }

        var verdict = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.WrongDomain, verdict.Reason);
        Assert.Contains("chain id 1", verdict.Message, StringComparison.Ordinal);
        Assert.Contains(Reporter(4).Address.ToChecksumString(), verdict.Message, StringComparison.Ordinal);
        await AssertRejectionRecordedAsync(verdict, "WrongDomain");
    }

    [Fact]
    public async Task SubmitAsync_CorruptedSignatureNamingRegisteredReporter_BadSignatureNotWrongDomain()
    {
        var batch = await Reporter(4).BatchAsync(Client, 14, TestReporter.Tokens(2, seed: 3));
        var digest = TypedData.ObservationBatchDigest(14, batch.ReferenceBlock, batch.ReferenceTime, new Hash32(batch.ReferenceHash.Span), batch.Observations.Span);
        // r changed so that the signature stays recoverable (half of all r values are not a curve x coordinate): a
        // well-formed signature that recovers to some other key, the case the old refinement called WRONG_DOMAIN.
        var signature = batch.Signature.ToByteArray();
        for (var bit = 0; ; bit++)
        {
            var candidate = (byte[])batch.Signature.ToByteArray().Clone();
            candidate[31 - (bit / 8)] ^= (byte)(1 << (bit % 8));
            try
            {
                Ecdsa.Recover(digest, Signature.FromBytes(candidate));
                signature = candidate;
                break;
            }
            catch (InvalidSignatureException)
            {
                // Not a point on the curve: try the next bit.
            }
        }

        batch.Signature = ByteString.CopyFrom(signature);

        var verdict = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.BadSignature, verdict.Reason);
        Assert.Contains(Reporter(4).Address.ToChecksumString(), verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_RegisteredReportersSignatureOverOtherBytes_BadSignatureNotWrongDomain()
    {
        var signed = await Reporter(4).BatchAsync(Client, 14, TestReporter.Tokens(2, seed: 4));
        var batch = signed.Clone();
        batch.Observations = ByteString.CopyFrom(ObservationEncoding.Encode(TestReporter.Tokens(2, factor: 400_000_000_000_000_000, seed: 4)));

        var verdict = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.BadSignature, verdict.Reason);
    }

    [Fact]
    public async Task SubmitAsync_SignedForAnotherContractNamingReporter_BadSignatureSayingDomainCannotBeKnown()
    {
        // Another verifying contract cannot be enumerated: the aggregator cannot tell it from other bytes, and says so.
        var domain = new SupplyOracleTypedData(TypedData.ChainId, Address.Parse("0x000000000000000000000000000000000000dEaD"));
        var batch = await Reporter(4).BatchAsync(Client, 14, TestReporter.Tokens(2, seed: 5), domain);

        var verdict = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.BadSignature, verdict.Reason);
        Assert.Contains("domain", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_UnregisteredSigner_UnknownSignerRecorded()
    {
        var stranger = new TestReporter(new PrivateKeySigner(PrivateKey.Generate()), TypedData);
        var batch = await stranger.BatchAsync(Client, 15, TestReporter.Tokens(2));

        var verdict = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.UnknownSigner, verdict.Reason);
        await AssertRejectionRecordedAsync(verdict, "UnknownSigner");
    }

    [Fact]
    public async Task SubmitAsync_SameRejectedBatchTwiceAndAfterRestart_RejectionRecordedOnce()
    {
        // docs/protocol.md section 4: a batch is identified by (signer, digest); its rejection is a fact recorded once.
        var stranger = new TestReporter(new PrivateKeySigner(PrivateKey.Generate()), TypedData);
        var batch = await stranger.BatchAsync(Client, 16, TestReporter.Tokens(2));
        var intake = network.CreateIntake();

        var first = await intake.SubmitAsync(batch, "test", default);
        var again = await intake.SubmitAsync(batch, "relay", default);
        var afterRestart = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.All(new[] { first, again, afterRestart }, v => Assert.Equal(RejectReason.UnknownSigner, v.Reason));
        var recorded = (await ReadAsync(IntakeEventNames.RejectionsStream)).Where(e => Field(e, "digest") == first.MessageHash.ToString()).ToList();
        Assert.Single(recorded);
    }

    [Fact]
    public async Task SubmitAsync_RoundZeroNotAfterLastRound_StaleRound()
    {
        var batch = await Reporter(0).BatchAsync(Client, 0, TestReporter.Tokens(2));

        var verdict = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.StaleRound, verdict.Reason);
        await AssertRejectionRecordedAsync(verdict, "StaleRound");
    }

    [Fact]
    public async Task SubmitAsync_ReferenceBlockBeyondMaxReportAge_StaleRound()
    {
        var head = await Client.BlockNumberAsync();
        var round = (head + 1) / IntakeNetwork.RoundBlocks + 1;
        await network.Network.Node.MineAsync(300);
        var batch = await Reporter(0).BatchAsync(Client, round, TestReporter.Tokens(2));

        var verdict = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.StaleRound, verdict.Reason);
    }

    [Fact]
    public async Task SubmitAsync_ReferenceBlockNotRoundTimesRoundBlocks_WrongReferenceBlock()
    {
        var block = (await Client.GetBlockAsync(BlockId.AtNumber(33)))!;
        var batch = await Reporter(0).SignAsync(16, 33, block.Timestamp, block.Hash, ObservationEncoding.Encode(TestReporter.Tokens(1)));

        Assert.Equal(RejectReason.WrongReferenceBlock, (await network.CreateIntake().SubmitAsync(batch, "test", default)).Reason);
    }

    [Fact]
    public async Task SubmitAsync_HashNotOfCanonicalBlock_NotCanonical()
    {
        var block = (await Client.GetBlockAsync(BlockId.AtNumber(34)))!;
        var batch = await Reporter(0).SignAsync(17, 34, block.Timestamp, block.ParentHash, ObservationEncoding.Encode(TestReporter.Tokens(1)));

        var verdict = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.NotCanonical, verdict.Reason);
        await AssertRejectionRecordedAsync(verdict, "NotCanonical");
    }

    [Fact]
    public async Task SubmitAsync_RoundNotYetMined_WrongRound()
    {
        var head = await Client.BlockNumberAsync();
        var round = head / IntakeNetwork.RoundBlocks + 1000;
        var batch = await Reporter(0).SignAsync(round, round * IntakeNetwork.RoundBlocks, 1, Keccak256.Hash([1]), ObservationEncoding.Encode(TestReporter.Tokens(1)));

        Assert.Equal(RejectReason.WrongRound, (await network.CreateIntake().SubmitAsync(batch, "test", default)).Reason);
    }

    [Fact]
    public async Task SubmitAsync_TokensNotAscending_Malformed()
    {
        var tokens = TestReporter.Tokens(2);
        var bytes = ObservationEncoding.Encode(tokens);
        var swapped = bytes[60..].Concat(bytes[..60]).ToArray();
        var block = (await Client.GetBlockAsync(BlockId.AtNumber(36)))!;
        var batch = await Reporter(0).SignAsync(18, 36, block.Timestamp, block.Hash, swapped);

        var verdict = await network.CreateIntake().SubmitAsync(batch, "test", default);

        Assert.Equal(RejectReason.Malformed, verdict.Reason);
        Assert.Contains("ascending", verdict.Message, StringComparison.Ordinal);
        await AssertRejectionRecordedAsync(verdict, "Malformed");
    }

    private async Task AssertRejectionRecordedAsync(IntakeVerdict verdict, string reason)
    {
        var events = await ReadAsync(IntakeEventNames.RejectionsStream);
        Assert.Contains(events, e => e.Type == IntakeEventNames.ObservationRejected
            && Field(e, "reason") == reason
            && Field(e, "round") == verdict.Round.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && Field(e, "digest") == (verdict.MessageHash == Hash32.Zero ? "null" : verdict.MessageHash.ToString()));
    }

    private static string? Field(RecordedEvent recorded, string name)
    {
        using var document = JsonDocument.Parse(recorded.Json);
        var value = document.RootElement.GetProperty(name);
        return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
    }

    private async Task<List<RecordedEvent>> ReadAsync(string stream)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in network.Store.ReadStreamAsync(stream))
        {
            list.Add(e);
        }

        return list;
    }
}
