namespace SupplyOracle.Governance.Cli;

/// <summary>"Did you mean ...?" for a mistyped command, option or value: the nearest name by edit distance.</summary>
internal static class NameSuggestion
{
    /// <summary>
    /// The candidate nearest to <paramref name="typed"/> (Damerau-Levenshtein, case-insensitive, leading dashes
    /// ignored), or null when none is within a third of the typed length (at least 2 edits) or it is a prefix of one.
    /// </summary>
    public static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        var bare = typed.TrimStart('-').ToLowerInvariant();
        if (bare.Length == 0)
        {
            return null;
        }

        var limit = Math.Max(2, bare.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct())
        {
            var other = candidate.TrimStart('-').ToLowerInvariant();
            var distance = other.StartsWith(bare, StringComparison.Ordinal) ? 1 : Distance(bare, other);
            if (distance <= limit && distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary><c>; did you mean 'x'?</c>, or empty when nothing is near.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates) => Nearest(typed, candidates) is { } near ? $"; did you mean '{near}'?" : "";

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
