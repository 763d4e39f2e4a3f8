using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.Tests.Support;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Tests.Reports;

public sealed class AttestationTests
{
    private static readonly PrivateKeySigner[] s_signers = Keys.Signers(4);
    private static readonly Verification.ReporterSet s_reporters = Keys.Set(s_signers);

    private static Rules.Engine.Report Report(ulong round = 7) => new(Keys.Header(round),
    [
        new ReportUpdate(Keys.Token(1), 1_000, new Wad(500_000_000_000_000_000), UpdateStatus.Commit),
        new ReportUpdate(Keys.Token(2), 2_000, new Wad(1), UpdateStatus.FrozenDivergence),
    ]);

    [Fact]
    public async Task Verify_SignedAttestation_RecoversSigner()
    {
        var report = Report();
        var digest = ReportMessages.Digest(Keys.Deployment, report);
        var signed = await AttestationSigner.SignAsync(s_signers[2], Keys.Deployment, report);

        var result = AttestationVerifier.Verify(Attestation.Parser.ParseFrom(signed.ToProto("p1").ToByteArray()), new RoundId(7), digest, s_reporters);

        Assert.True(result.IsValid);
        Assert.Equal(s_signers[2].Address, result.Value.Signer);
        Assert.Equal(signed, result.Value);
        Assert.Equal(digest, signed.ReportDigest);
    }

    [Fact]
    public async Task Verify_OtherReportDigest_UnknownProposal()
    {
        var signed = await AttestationSigner.SignAsync(s_signers[0], Keys.Deployment, Report());
        var other = ReportMessages.Digest(Keys.Deployment, Report(8));
        Assert.Equal(RejectReason.UnknownProposal, AttestationVerifier.Verify(signed.ToProto("p"), new RoundId(7), other, s_reporters).Rejection!.Reason);
    }

    [Fact]
    public async Task Verify_OtherRound_UnknownProposal()
    {
        var signed = await AttestationSigner.SignAsync(s_signers[0], Keys.Deployment, Report());
        Assert.Equal(RejectReason.UnknownProposal, AttestationVerifier.Verify(signed.ToProto("p"), new RoundId(8), signed.ReportDigest, s_reporters).Rejection!.Reason);
    }

    [Fact]
    public async Task Verify_UnregisteredSigner_UnknownSigner()
    {
        var signed = await AttestationSigner.SignAsync(Keys.Signers(1)[0], Keys.Deployment, Report());
        Assert.Equal(RejectReason.UnknownSigner, AttestationVerifier.Verify(signed.ToProto("p"), new RoundId(7), signed.ReportDigest, s_reporters).Rejection!.Reason);
    }

    [Fact]
    public async Task Verify_TruncatedSignature_BadSignature()
    {
        var message = (await AttestationSigner.SignAsync(s_signers[0], Keys.Deployment, Report())).ToProto("p");
        message.Signature = ByteString.CopyFrom(message.Signature.Span[..60]);
        Assert.Equal(RejectReason.BadSignature, AttestationVerifier.Verify(message, new RoundId(7), new Hash32(message.ReportDigest.Span), s_reporters).Rejection!.Reason);
    }

    [Fact]
    public async Task Verify_ShortDigest_Malformed()
    {
        var message = (await AttestationSigner.SignAsync(s_signers[0], Keys.Deployment, Report())).ToProto("p");
        message.ReportDigest = ByteString.CopyFrom(new byte[31]);
        Assert.Equal(RejectReason.Malformed, AttestationVerifier.Verify(message, new RoundId(7), Hash32.Zero, s_reporters).Rejection!.Reason);
    }

    [Fact]
    public async Task Build_AttestationsInAnyOrderWithDuplicates_SignaturesSortedBySignerOncePerSigner()
    {
        var report = Report();
        var attestations = new List<SignedAttestation>();
        foreach (var s in s_signers.Reverse())
        {
            attestations.Add(await AttestationSigner.SignAsync(s, Keys.Deployment, report));
        }

        attestations.Add(attestations[0]);

        var commit = CommitBuilder.Build(Keys.Deployment, report, attestations, 3);

        var sorted = s_signers.Select(s => s.Address).Order().ToArray();
        Assert.Equal(sorted, commit.Signers);
        Assert.Equal(4 * 65, commit.Signatures.Length);
        for (var i = 0; i < sorted.Length; i++)
        {
            var signature = Signature.FromBytes(commit.Signatures.AsSpan(i * 65, 65));
            Assert.Equal(sorted[i], Contracts.Bindings.Crypto.Ecdsa.Recover(commit.ReportDigest, signature));
        }

        Assert.Equal(report.EncodeUpdates(), commit.Updates);
    }

    [Fact]
    public async Task Build_FewerSignersThanMinReporters_Throws()
    {
        var report = Report();
        var one = await AttestationSigner.SignAsync(s_signers[0], Keys.Deployment, report);
        var e = Assert.Throws<CommitBuildException>(() => CommitBuilder.Build(Keys.Deployment, report, [one, one, one], 2));
        Assert.Equal(CommitBuildError.InsufficientAttestations, e.Error);
    }

    [Fact]
    public async Task Build_AttestationOfAnotherReport_Throws()
    {
        var other = await AttestationSigner.SignAsync(s_signers[0], Keys.Deployment, Report(8));
        var e = Assert.Throws<CommitBuildException>(() => CommitBuilder.Build(Keys.Deployment, Report(), [other], 1));
        Assert.Equal(CommitBuildError.DigestMismatch, e.Error);
    }

    [Fact]
    public void Build_EmptyReport_Throws()
    {
        var e = Assert.Throws<CommitBuildException>(() => CommitBuilder.Build(Keys.Deployment, new Rules.Engine.Report(Keys.Header(7), []), [], 1));
        Assert.Equal(CommitBuildError.EmptyReport, e.Error);
    }

    [Fact]
    public void ReportMessages_RoundTrip_Identical()
    {
        var report = Report();
        var back = ReportMessages.FromProto(V1.Report.Parser.ParseFrom(ReportMessages.ToProto(report).ToByteArray()));
        Assert.True(report.IsIdenticalTo(back.Header, back.EncodeUpdates()));
    }

    [Fact]
    public void ReportMessages_BadStatus_Throws()
    {
        var message = ReportMessages.ToProto(Report());
        var bytes = message.Updates.ToByteArray();
        bytes[44] = 3;
        message.Updates = ByteString.CopyFrom(bytes);
        var e = Assert.Throws<Rules.Encoding.MessageEncodingException>(() => ReportMessages.FromProto(message));
        Assert.Equal("status", e.Field);
    }
}
