using System.CommandLine;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Governance.Changes;
using SupplyOracle.Governance.Cli;

namespace SupplyOracle.Governance.Roles;

/// <summary>
/// The owner and guardian of one contract, both Ownable2Step with a guardian (docs/protocol.md section 1): the calls
/// that read and change them, taken from the contract's generated binding.
/// </summary>
internal sealed record RoleTarget(string Name, ContractBinding Contract, CallRequest Owner, CallRequest PendingOwner, CallRequest Guardian,
    Func<Address, CallRequest> TransferOwnership, CallRequest AcceptOwnership, Func<Address, CallRequest> SetGuardian)
{
    public static RoleTarget For(SupplyOracleContract oracle) => new("oracle", oracle, oracle.OwnerCall(), oracle.PendingOwnerCall(), oracle.GuardianCall(),
        oracle.TransferOwnershipCall, oracle.AcceptOwnershipCall(), oracle.SetGuardianCall);

    public static RoleTarget For(ExcludedAddressRegistryContract registry) => new("registry", registry, registry.OwnerCall(), registry.PendingOwnerCall(),
        registry.GuardianCall(), registry.TransferOwnershipCall, registry.AcceptOwnershipCall(), registry.SetGuardianCall);
}

/// <summary>
/// <c>oracle|registry owner show|transfer|accept</c> and <c>oracle|registry guardian show|set</c>. Ownership moves in
/// two steps (OpenZeppelin Ownable2Step): the owner names the next owner, who accepts with its own key. A change to
/// the current holder is refused before anything is sent.
/// </summary>
internal sealed class RoleCommands(Func<Session, CancellationToken, Task<RoleTarget>> resolve)
{
    private readonly Option<string> _to = new("--to") { Description = "The next owner (it must then run 'owner accept' with its own key)", Required = true };
    private readonly Option<string> _guardian = new("--address") { Description = "The new guardian", Required = true };

    /// <summary>The <c>owner</c> and <c>guardian</c> commands of the contract <paramref name="resolve"/> finds.</summary>
    public static IEnumerable<Command> Create(CommandRunner runner, string contract, Func<Session, CancellationToken, Task<RoleTarget>> resolve)
    {
        var roles = new RoleCommands(resolve);
        var show = new Command("show", $"The {contract}'s owner and pending owner");
        runner.Bind(show, roles.ShowAsync);
        var transfer = new Command("transfer", $"Start handing the {contract} to a new owner (owner); the new owner accepts") { roles._to };
        runner.Bind(transfer, roles.TransferAsync);
        var accept = new Command("accept", $"Accept the ownership of the {contract} (the pending owner's key)");
        runner.Bind(accept, roles.AcceptAsync);
        var guardianShow = new Command("show", $"The {contract}'s guardian");
        runner.Bind(guardianShow, roles.ShowAsync);
        var guardianSet = new Command("set", $"Replace the {contract}'s guardian (owner)") { roles._guardian };
        runner.Bind(guardianSet, roles.SetGuardianAsync);
        yield return new Command("owner", $"The {contract}'s owner (two-step transfer)") { show, transfer, accept };
        yield return new Command("guardian", $"The {contract}'s guardian (may pause)") { guardianShow, guardianSet };
    }

    private async Task<(RoleTarget Target, Address Owner, Address PendingOwner, Address Guardian)> ReadAsync(Session session, CancellationToken cancellationToken)
    {
        var target = await resolve(session, cancellationToken).ConfigureAwait(false);
        var results = await session.Client.CallBatchAsync([target.Owner, target.PendingOwner, target.Guardian], BlockId.Latest, cancellationToken)
            .ConfigureAwait(false);
        Address Decode(int i) => SupplyOracleContract.DecodeOwner(results[i].GetOrThrow());
        return (target, Decode(0), Decode(1), Decode(2));
    }

    private async Task<int> ShowAsync(Session session, CancellationToken cancellationToken)
    {
        var (target, owner, pending, guardian) = await ReadAsync(session, cancellationToken).ConfigureAwait(false);
        var pendingText = pending == default ? "none" : pending.ToString();
        if (session.Json)
        {
            await session.Printer.WriteJsonAsync(new JsonObject
            {
                ["contract"] = target.Contract.Address.ToString(),
                ["owner"] = owner.ToString(),
                ["pendingOwner"] = pending == default ? null : pending.ToString(),
                ["guardian"] = guardian.ToString(),
            }).ConfigureAwait(false);
        }
        else
        {
            session.Printer.Fields($"roles of the {target.Name} {target.Contract.Address}",
                [("owner", owner.ToString()), ("pending owner", pendingText), ("guardian", guardian.ToString())]);
        }

        return ExitCodes.Ok;
    }

    private async Task<int> TransferAsync(Session session, CancellationToken cancellationToken)
    {
        var to = Session.ParseAddress("--to", session.Value(_to)!);
        var (target, owner, pending, _) = await ReadAsync(session, cancellationToken).ConfigureAwait(false);
        if (to == owner || to == pending)
        {
            throw new CliInputException("--to", $"nothing to do: {to} is already the {target.Name}'s {(to == owner ? "owner" : "pending owner")}; nothing was sent");
        }

        return await ChangeExecutor.RunAsync(session, new PlannedChange(target.Contract, "transferOwnership", target.TransferOwnership(to),
            [("owner", owner.ToString()), ("next owner", $"{to} (must accept with its own key)")]), cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> AcceptAsync(Session session, CancellationToken cancellationToken)
    {
        var (target, owner, pending, _) = await ReadAsync(session, cancellationToken).ConfigureAwait(false);
        if (pending == default)
        {
            throw new CliInputException($"{target.Name} owner accept", $"nothing to accept: no ownership transfer of the {target.Name} is pending (owner {owner}); nothing was sent");
        }

        return await ChangeExecutor.RunAsync(session, new PlannedChange(target.Contract, "acceptOwnership", target.AcceptOwnership,
            [("owner", owner.ToString()), ("new owner", pending.ToString())]), cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> SetGuardianAsync(Session session, CancellationToken cancellationToken)
    {
        var guardian = Session.ParseAddress("--address", session.Value(_guardian)!);
        var (target, _, _, current) = await ReadAsync(session, cancellationToken).ConfigureAwait(false);
        if (guardian == current)
        {
            throw new CliInputException("--address", $"nothing to do: {guardian} is already the {target.Name}'s guardian; nothing was sent");
        }

        return await ChangeExecutor.RunAsync(session, new PlannedChange(target.Contract, "setGuardian", target.SetGuardian(guardian),
            [("guardian", $"{current} -> {guardian}")]), cancellationToken).ConfigureAwait(false);
    }
}
