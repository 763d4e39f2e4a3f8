using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Rules.Engine;

/// <summary>A report (docs/protocol.md section 7): the header and the updates, tokens strictly ascending.</summary>
/// <param name="Header">Round, reference block, time and hash.</param>
/// <param name="Updates">The Commit and Frozen entries, tokens ascending.</param>
public sealed record Report(ReportHeader Header, IReadOnlyList<ReportUpdate> Updates)
{
    /// <summary>The <c>updates</c> bytes of the Report message: 45 bytes per entry.</summary>
    public byte[] EncodeUpdates() => UpdateEncoding.Encode(Updates);

    /// <summary>
    /// True when a proposed report is byte-identical to this one: the check a reporter makes before attesting
    /// (docs/protocol.md section 6: same header, same <c>updates</c> bytes).
    /// </summary>
    public bool IsIdenticalTo(ReportHeader proposedHeader, ReadOnlySpan<byte> proposedUpdates) =>
        Header == proposedHeader && proposedUpdates.SequenceEqual(EncodeUpdates());
}

/// <summary>The result of <see cref="RulesEngine.Evaluate"/>.</summary>
/// <param name="Report">The report; it has no updates when nothing is to be proposed.</param>
/// <param name="Outcomes">Every listed or observed token's outcome, tokens ascending.</param>
public sealed record RulesResult(Report Report, IReadOnlyList<TokenOutcome> Outcomes)
{
    /// <summary>
    /// False when the report has no Commit and no Frozen entry: such a report is not proposed (docs/protocol.md section 5).
    /// </summary>
    public bool ShouldPropose => Report.Updates.Count > 0;
}
