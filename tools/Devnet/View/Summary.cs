using System.Globalization;
using SupplyOracle.Devnet.Monitoring;

namespace SupplyOracle.Devnet.View;

/// <summary>
/// The summary printed when <c>--rounds N</c> is reached: per round the tokens committed and frozen and the gas used,
/// per token the final factor; its last line is exactly <c>committed rounds: N</c> (test.sh and CI read it).
/// </summary>
internal static class Summary
{
    /// <summary>The summary's lines, the last one being <c>committed rounds: {commits.Count}</c>.</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<CommitRecord> commits, IReadOnlyList<TokenStatus> tokens, IReadOnlyList<string> events,
        IReadOnlyDictionary<ulong, IReadOnlyList<string>>? policySkips = null)
    {
        ArgumentNullException.ThrowIfNull(commits);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(events);
        var lines = new List<string> { "summary", "  round  block  committed  frozen  rejected  gas used  transaction" };
        lines.AddRange(commits.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"  {c.Round,5}  {c.Block,5}  {c.Committed,9}  {c.Frozen,6}  {c.Rejected,8}  {c.GasUsed,8:N0}  {c.Transaction}")));
        lines.Add("  token  factor    status       circulating (whole tokens)");
        lines.AddRange(tokens.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"  {t.Symbol,-5}  {Format.Factor(t.Factor)}  {t.Status,-11}  {Format.Tokens(t.Circulating, t.Decimals)}")));
        // docs/protocol.md section 5 step 12: tokens left out because nothing a consumer would see changed.
        lines.AddRange((policySkips ?? new Dictionary<ulong, IReadOnlyList<string>>()).Where(kv => kv.Key <= (commits.Count > 0 ? commits[^1].Round : 0))
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"  round {kv.Key}: left out by the commit policy: {string.Join(", ", kv.Value)}")));
        lines.AddRange(events.Select(e => $"  {e}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"committed rounds: {commits.Count}"));
        return lines;
    }
}
