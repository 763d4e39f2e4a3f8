using System.Text;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Governance.Cli;
using SupplyOracle.Governance.Output;
using SupplyOracle.Governance.Registry;
using RegistryContract = SupplyOracle.Contracts.Bindings.Bindings.ExcludedAddressRegistryContract;
using OracleContract = SupplyOracle.Contracts.Bindings.Bindings.SupplyOracleContract;

namespace SupplyOracle.Governance.Changes;

/// <summary>A revert in words: <see cref="Error"/> is the custom error's name, <see cref="Message"/> the cause.</summary>
internal sealed record RevertExplanation(string Error, string Message);

/// <summary>
/// Turns a decoded custom error (the generated <c>XError.From</c> records) into a cause an operator can act on:
/// timelock time left, expiry, wrong key with the expected owner or guardian. Times are measured against the latest
/// block's timestamp, the clock the contracts check (Solidity <c>block.timestamp</c>).
/// </summary>
internal static class RevertExplainer
{
    public static async Task<RevertExplanation> ExplainAsync(Session session, ContractRevertException revert, CancellationToken cancellationToken)
    {
        var name = revert.ErrorName ?? "unknown";
        if (RegistryContract.ProposalNotReadyError.From(revert) is { } notReady)
        {
            var now = await NowAsync(session, cancellationToken).ConfigureAwait(false);
            var left = (long)notReady.Eta - (long)now;
            return new(name, $"timelock not elapsed: proposal {notReady.Id} is executable in {Printer.Duration(left)} (at {Printer.Time(notReady.Eta)})");
        }

        if (RegistryContract.ProposalExpiredError.From(revert) is { } expired)
        {
            var now = await NowAsync(session, cancellationToken).ConfigureAwait(false);
            return new(name, $"proposal {expired.Id} expired {Printer.Duration((long)now - (long)expired.ExpiresAt)} ago (at {Printer.Time(expired.ExpiresAt)}): propose it again");
        }

        if (RegistryContract.ProposalNotPendingError.From(revert) is { } notPending)
        {
            return new(name, $"proposal {notPending.Id} is not pending: it was {ProposalStates.Name(notPending.State)}");
        }

        if (RegistryContract.UnknownProposalError.From(revert) is { } unknown)
        {
            return new(name, $"there is no proposal {unknown.Id}");
        }

        if (RegistryContract.OwnableUnauthorizedAccountError.From(revert) is { } notPendingOwner && revert.Function == "acceptOwnership")
        {
            return new(name, $"wrong key: {notPendingOwner.Account} is not the pending owner");
        }

        if (RegistryContract.OwnableUnauthorizedAccountError.From(revert) is { } unauthorized)
        {
            var owner = await OwnerAsync(session, revert, cancellationToken).ConfigureAwait(false);
            return new(name, $"wrong key: {unauthorized.Account} is not the owner (the owner is {owner})");
        }

        if (RegistryContract.NotOwnerOrGuardianError.From(revert) is { } notOwnerOrGuardian)
        {
            var registry = await session.RegistryAsync(cancellationToken).ConfigureAwait(false);
            var owner = await registry.OwnerAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var guardian = await registry.GuardianAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new(name, $"wrong key: {notOwnerOrGuardian.Caller} is neither the owner ({owner}) nor the guardian ({guardian})");
        }

        if (OracleContract.NotGuardianError.From(revert) is { } notGuardian)
        {
            var guardian = await session.Oracle.GuardianAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new(name, $"wrong key: {notGuardian.Caller} is not the guardian ({guardian})");
        }

        return new(name, Describe(revert) ?? $"{revert.Function} reverted: {revert.Revert}");
    }

    private static string? Describe(ContractRevertException revert) => revert switch
    {
        _ when RegistryContract.AlreadyExcludedError.From(revert) is { } e => $"{e.Account} is already excluded for token {e.Token}",
        _ when RegistryContract.NotExcludedError.From(revert) is { } e => $"{e.Account} is not excluded for token {e.Token}",
        _ when RegistryContract.TooManyExcludedError.From(revert) is { } e => $"token {e.Token} already has the maximum of {e.Max} excluded addresses",
        _ when RegistryContract.UnknownKindError.From(revert) is { } e => $"unknown kind {Bytes32Text(e.Kind)}",
        _ when RegistryContract.ExcludedExceedsSupplyError.From(revert) is { } e =>
            $"the excluded balances of {e.Token} ({e.Excluded}) exceed its total supply ({e.TotalSupply})",
        _ when RegistryContract.TokenHasNoCodeError.From(revert) is { } e => $"token {e.Token} has no code",
        _ when OracleContract.InvalidParameterError.From(revert) is { } e => $"invalid parameter {Bytes32Text(e.Name)} = {e.Value} (docs/protocol.md section 8)",
        _ when OracleContract.ReporterAlreadyRegisteredError.From(revert) is { } e => $"{e.Reporter} is already a reporter",
        _ when OracleContract.ReporterNotRegisteredError.From(revert) is { } e => $"{e.Reporter} is not a reporter",
        _ when OracleContract.WouldBreakQuorumError.From(revert) is { } e =>
            $"removing it would leave {e.Reporters} reporters, fewer than minReporters = {e.MinReporters}: lower minReporters first",
        _ when OracleContract.TooManyReportersError.From(revert) is { } e => $"the reporter set is full ({e.Max})",
        _ when OracleContract.TokenNotListedError.From(revert) is { } e => $"token {e.Token} is not listed",
        _ when OracleContract.TokenAlreadyListedError.From(revert) is { } e => $"token {e.Token} is already listed",
        _ when OracleContract.UnsupportedTokenError.From(revert) is { } e =>
            $"{e.Token} is not a token the oracle can list: no contract code, no ERC-20 decimals(), or more than 77 decimals",
        _ when OracleContract.PausedError.From(revert) is not null => "the oracle (or this token) is paused",
        _ when OracleContract.NotInitializedError.From(revert) is { } e => $"token {e.Token} has no committed factor yet",
        _ when OracleContract.CommitTooOldError.From(revert) is { } e => $"token {e.Token}'s last commit (at {Printer.Time(e.CommittedAt)}) is older than maxCommitAge",
        _ when OracleContract.ZeroAddressError.From(revert) is not null => "the zero address is not allowed here",
        _ => null,
    };

    /// <summary>A bytes32 holding left-aligned ASCII (Solidity <c>bytes32("name")</c>) as its text, else hex.</summary>
    public static string Bytes32Text(Hash32 value)
    {
        var bytes = value.ToArray();
        var length = Array.IndexOf(bytes, (byte)0);
        length = length < 0 ? bytes.Length : length;
        var printable = length > 0 && bytes[..length].All(b => b is >= 0x20 and < 0x7f) && bytes[length..].All(b => b == 0);
        return printable ? Encoding.ASCII.GetString(bytes, 0, length) : value.ToString();
    }

    private static async Task<ulong> NowAsync(Session session, CancellationToken cancellationToken) =>
        (await session.LatestBlockAsync(cancellationToken).ConfigureAwait(false)).Timestamp;

    private static async Task<Address> OwnerAsync(Session session, ContractRevertException revert, CancellationToken cancellationToken)
    {
        // Both contracts are Ownable2Step; the revert came from the registry when its function names it.
        var registryFunctions = RegistryContract.ContractAbi.Functions.Select(f => f.Name).ToHashSet();
        var oracleFunctions = OracleContract.ContractAbi.Functions.Select(f => f.Name).ToHashSet();
        if (registryFunctions.Contains(revert.Function) && !oracleFunctions.Contains(revert.Function))
        {
            var registry = await session.RegistryAsync(cancellationToken).ConfigureAwait(false);
            return await registry.OwnerAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return await session.Oracle.OwnerAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
