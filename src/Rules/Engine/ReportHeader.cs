using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Rules.Engine;

/// <summary>
/// The fields a round is bound to (docs/protocol.md sections 3 and 7): round <c>r</c>, <c>B_r</c>, and the timestamp and
/// hash of block <c>B_r</c>. <see cref="ReferenceTime"/> is the engine's <c>now</c>.
/// </summary>
/// <param name="Round">The round.</param>
/// <param name="ReferenceBlock">Block <c>B_r = r * roundBlocks</c>.</param>
/// <param name="ReferenceTime">Timestamp of <c>B_r</c> (unix seconds).</param>
/// <param name="ReferenceHash">Hash of <c>B_r</c>.</param>
public readonly record struct ReportHeader(RoundId Round, ulong ReferenceBlock, ulong ReferenceTime, Hash32 ReferenceHash);
