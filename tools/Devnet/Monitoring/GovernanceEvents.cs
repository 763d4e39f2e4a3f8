using System.Globalization;
using System.Text;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.View;
using Oracle = SupplyOracle.Contracts.Bindings.Bindings.SupplyOracleContract;
using Registry = SupplyOracle.Contracts.Bindings.Bindings.ExcludedAddressRegistryContract;

namespace SupplyOracle.Devnet.Monitoring;

/// <summary>One governance event on chain, in words, with the block it was mined in.</summary>
/// <param name="Block">The block.</param>
/// <param name="LogIndex">Its position in the block.</param>
/// <param name="Text">What happened, e.g. <c>registry: queued #1 add AUR 0x15d3…6A65 exchange-cold, eta 12-02 16:00Z</c> (eta in UTC).</param>
internal sealed record GovernanceEvent(ulong Block, ulong LogIndex, string Text);

/// <summary>
/// Every governance event of the two contracts, whoever sent it (docs/protocol.md sections 1, 8 and 10): the registry's
/// proposals queued, executed and cancelled, its delay and grace, the oracle's parameters, reporter set, token listings
/// and pauses, and both contracts' guardian and (two-step) ownership changes. Commits and their per-token outcomes are
/// not governance and are left out.
/// </summary>
internal static class GovernanceEvents
{
    /// <summary>Reads and describes the governance events of <paramref name="oracle"/> and <paramref name="registry"/> in a block range.</summary>
    public static async Task<IReadOnlyList<GovernanceEvent>> ReadAsync(EthereumRpcClient client, Address oracle, Address registry, ulong fromBlock, ulong toBlock,
        Func<Address, string> tokenName, CancellationToken cancellationToken)
    {
        var logs = await client.GetLogsAsync(new LogFilter(fromBlock, toBlock, [oracle, registry]), cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. logs.Where(l => !l.Removed)
            .Select(l => Describe(l, oracle, registry, tokenName) is { } text ? new GovernanceEvent(l.BlockNumber, l.LogIndex, text) : null)
            .OfType<GovernanceEvent>()
            .OrderBy(e => e.Block).ThenBy(e => e.LogIndex)];
    }

    /// <summary>The log in words when it is a governance event of either contract, else null.</summary>
    public static string? Describe(LogEntry log, Address oracle, Address registry, Func<Address, string> tokenName)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(tokenName);
        if (log.Address == registry)
        {
            return DescribeRegistry(log, tokenName);
        }

        return log.Address == oracle ? DescribeOracle(log, tokenName) : null;
    }

    private static string? DescribeRegistry(LogEntry log, Func<Address, string> token) => log switch
    {
        _ when Registry.ChangeProposedEvent.TryDecode(log) is { } e =>
            $"registry: queued #{e.Id} {Op(e.Op)} {token(e.Token)} {Format.Short(e.Account.ToString())} {Text(e.Kind)}, eta {Time(e.Eta)}",
        _ when Registry.ChangeExecutedEvent.TryDecode(log) is { } e => $"registry: executed #{e.Id} {Op(e.Op)} {token(e.Token)} {Format.Short(e.Account.ToString())}",
        _ when Registry.ChangeCancelledEvent.TryDecode(log) is { } e => $"registry: cancelled #{e.Id} by {Format.Short(e.By.ToString())}",
        _ when Registry.DelaySetEvent.TryDecode(log) is { } e => $"registry: timelock delay set to {Format.Age(e.Delay)}",
        _ when Registry.GraceSetEvent.TryDecode(log) is { } e => $"registry: grace period set to {Format.Age(e.Grace)}",
        _ when Registry.GuardianSetEvent.TryDecode(log) is { } e => $"registry: guardian {Format.Short(e.Previous.ToString())} -> {Format.Short(e.Current.ToString())}",
        _ when Registry.OwnershipTransferStartedEvent.TryDecode(log) is { } e => $"registry: ownership transfer to {Format.Short(e.NewOwner.ToString())} started",
        _ when Registry.OwnershipTransferredEvent.TryDecode(log) is { } e => $"registry: owner {Format.Short(e.PreviousOwner.ToString())} -> {Format.Short(e.NewOwner.ToString())}",
        _ => null,
    };

    private static string? DescribeOracle(LogEntry log, Func<Address, string> token) => log switch
    {
        _ when Oracle.ParamsSetEvent.TryDecode(log) is { } e => $"oracle: parameters set: {Params(e.Params)}",
        _ when Oracle.ReporterAddedEvent.TryDecode(log) is { } e => $"oracle: reporter {Format.Short(e.Reporter.ToString())} added",
        _ when Oracle.ReporterRemovedEvent.TryDecode(log) is { } e => $"oracle: reporter {Format.Short(e.Reporter.ToString())} removed",
        _ when Oracle.TokenListedEvent.TryDecode(log) is { } e => $"oracle: {token(e.Token)} listed ({e.Decimals} decimals)",
        _ when Oracle.TokenDelistedEvent.TryDecode(log) is { } e => $"oracle: {token(e.Token)} delisted",
        _ when Oracle.GlobalPauseSetEvent.TryDecode(log) is { } e => e.Paused ? "oracle: PAUSED by the guardian" : "oracle: unpaused by the owner",
        _ when Oracle.TokenPauseSetEvent.TryDecode(log) is { } e => e.Paused ? $"oracle: {token(e.Token)} PAUSED by the guardian" : $"oracle: {token(e.Token)} unpaused",
        _ when Oracle.GuardianSetEvent.TryDecode(log) is { } e => $"oracle: guardian {Format.Short(e.Previous.ToString())} -> {Format.Short(e.Current.ToString())}",
        _ when Oracle.OwnershipTransferStartedEvent.TryDecode(log) is { } e => $"oracle: ownership transfer to {Format.Short(e.NewOwner.ToString())} started",
        _ when Oracle.OwnershipTransferredEvent.TryDecode(log) is { } e => $"oracle: owner {Format.Short(e.PreviousOwner.ToString())} -> {Format.Short(e.NewOwner.ToString())}",
        _ => null,
    };

    // The names of the registry's Op enum (ExcludedAddressRegistry.sol).
    private static string Op(ulong op) => op switch { 0 => "add", 1 => "remove", 2 => "update", _ => $"op {op}" };

    private static string Time(ulong unix) =>
        DateTimeOffset.FromUnixTimeSeconds((long)unix).ToString("MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

    // A bytes32 kind is its ASCII name left-aligned (Solidity bytes32("exchange-cold")).
    private static string Text(Hash32 word)
    {
        var bytes = word.ToArray();
        var length = Array.IndexOf(bytes, (byte)0);
        return Encoding.ASCII.GetString(bytes, 0, length < 0 ? bytes.Length : length);
    }

    private static string Params(Oracle.Params p) => string.Create(CultureInfo.InvariantCulture,
        $"roundBlocks {p.RoundBlocks}, minReporters {p.MinReporters}, divergence {p.DivergenceToleranceBps} bps, cooldown {Format.Age(p.MinCommitInterval)}, " +
        $"step {p.MaxFactorDeltaBps} bps, window {Format.Age(p.Window)}/{p.MaxWindowDeltaBps} bps, stale {Format.Age(p.ReportStaleAfter)}, " +
        $"max age {Format.Age(p.MaxCommitAge)}, report age {p.MaxReportAgeBlocks} blocks, heartbeat {Format.Age(p.Heartbeat)}, deviation {p.SupplyDeviationBps} bps");
}
