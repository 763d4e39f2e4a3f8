using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Reporter.Journal;

/// <summary>
/// A different batch was offered for a round the node has already signed: refused (equivocation protection,
/// docs/protocol.md section 4).
/// </summary>
public sealed class EquivocationRefusedException(RoundId round, Hash32 journaled, Hash32 attempted)
    : Exception($"round {round.Value} was already signed as {journaled}; refusing to sign {attempted}")
{
    /// <summary>The round.</summary>
    public RoundId Round { get; } = round;

    /// <summary>The digest signed and journaled for the round.</summary>
    public Hash32 Journaled { get; } = journaled;

    /// <summary>The different digest that was refused.</summary>
    public Hash32 Attempted { get; } = attempted;
}

/// <summary>The journal file is damaged somewhere other than a torn last record: the node will not start on it.</summary>
public sealed class JournalCorruptedException(string path, long offset, string problem)
    : Exception($"signing journal {path} is corrupted at byte {offset}: {problem}")
{
    /// <summary>The journal file.</summary>
    public string Path { get; } = path;

    /// <summary>Where the damaged record starts.</summary>
    public long Offset { get; } = offset;

    /// <summary>What is wrong.</summary>
    public string Problem { get; } = problem;
}
