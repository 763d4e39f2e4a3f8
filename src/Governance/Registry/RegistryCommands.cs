using System.CommandLine;
using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Governance.Changes;
using SupplyOracle.Governance.Cli;
using SupplyOracle.Governance.Roles;

namespace SupplyOracle.Governance.Registry;

/// <summary>
/// <c>supplyoracle registry ...</c>: timelocked changes of the excluded-address lists (docs/protocol.md section 10):
/// propose (owner), execute (anyone, after the delay and before expiry), cancel (owner or guardian), and reads.
/// </summary>
internal sealed partial class RegistryCommands
{
    private readonly Option<string> _token = new("--token") { Description = "Token address", Required = true };
    private readonly Option<string> _account = new("--account") { Description = "The address to exclude (or stop excluding)", Required = true };
    private readonly Option<string> _op = new("--op") { Description = "add, remove or update", DefaultValueFactory = _ => "add" };
    private readonly Option<string?> _kind = new("--kind") { Description = $"Kind: {string.Join(", ", ExcludedKind.Names)}" };
    private readonly Option<string?> _evidence = new("--evidence") { Description = "Evidence document; its keccak256 goes on chain" };
    private readonly Option<string> _id = new("--id") { Description = "Proposal id", Required = true };

    public static Command Create(CommandRunner runner) => new RegistryCommands().Build(runner);

    private Command Build(CommandRunner runner)
    {
        var propose = new Command("propose", "Propose an exclusion change (owner); it executes after the registry's delay") { _token, _account, _op, _kind, _evidence };
        runner.Bind(propose, ProposeAsync);
        var execute = new Command("execute", "Execute a pending proposal whose timelock has elapsed (anyone)") { _id };
        runner.Bind(execute, (s, ct) => ByIdAsync(s, "execute", ct));
        var cancel = new Command("cancel", "Cancel a pending proposal (owner or guardian)") { _id };
        runner.Bind(cancel, (s, ct) => ByIdAsync(s, "cancel", ct));

        var registry = new Command("registry", "Curate the excluded-address registry")
        {
            propose, execute, cancel, CreateList(runner), CreatePending(runner), CreateHistory(runner), CreateImpact(runner),
        };
        foreach (var roles in RoleCommands.Create(runner, "registry", async (s, ct) => RoleTarget.For(await s.RegistryAsync(ct).ConfigureAwait(false))))
        {
            registry.Subcommands.Add(roles);
        }

        return registry;
    }

    private async Task<int> ProposeAsync(Session session, CancellationToken cancellationToken)
    {
        var change = ParseChange(session, _token, _account, _op);
        var kindName = session.Value(_kind);
        var evidencePath = session.Value(_evidence);
        var kind = default(Contracts.Bindings.Primitives.Hash32);
        var evidence = default(Contracts.Bindings.Primitives.Hash32);
        if (change.Op != ProposedOp.Remove)
        {
            if (kindName is null)
            {
                throw new CliInputException("--kind", $"required for {ProposalStates.Op((ulong)change.Op)}: one of {string.Join(", ", ExcludedKind.Names)}");
            }

            kind = ExcludedKind.TryEncode(kindName)
                ?? throw new CliInputException("--kind",
                    $"'{kindName}' is not a kind: one of {string.Join(", ", ExcludedKind.Names)}{NameSuggestion.Hint(kindName, ExcludedKind.Names)}");
            if (evidencePath is null)
            {
                throw new CliInputException("--evidence", "required: the document that justifies the exclusion (its keccak256 goes on chain)");
            }
        }
        else if (kindName is not null)
        {
            throw new CliInputException("--kind", "a removal takes no kind");
        }

        if (evidencePath is not null)
        {
            evidence = Keccak256.Hash(Session.ReadBytes("--evidence", evidencePath));
        }

        var registry = await session.RegistryAsync(cancellationToken).ConfigureAwait(false);
        await CheckProposalAsync(session, registry, change, kind, evidence, cancellationToken).ConfigureAwait(false);
        List<(string, string)> details =
        [
            ("token", change.Token.ToString()),
            ("account", change.Account.ToString()),
            ("op", ProposalStates.Op((ulong)change.Op)),
        ];
        if (change.Op != ProposedOp.Remove)
        {
            details.Add(("kind", kindName!));
        }

        if (evidencePath is not null)
        {
            details.Add(("evidence keccak256", evidence.ToString()));
        }

        var call = registry.ProposeCall(change.Token, change.Account, (ulong)change.Op, kind, evidence);
        return await ChangeExecutor.RunAsync(session, new PlannedChange(registry, "propose", call, details), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses a change that would do nothing (excluding an excluded address, removing or updating one that is not,
    /// an update to the same kind and evidence) and warns, on standard error, of a token the exclusion cannot matter
    /// for yet: one the oracle does not list, or an address without code (its circulating reads revert TokenHasNoCode).
    /// </summary>
    private static async Task CheckProposalAsync(Session session, ExcludedAddressRegistryContract registry, ProposedChange change,
        Contracts.Bindings.Primitives.Hash32 kind, Contracts.Bindings.Primitives.Hash32 evidence, CancellationToken cancellationToken)
    {
        var exclusion = await registry.ExclusionAsync(change.Token, change.Account, cancellationToken: cancellationToken).ConfigureAwait(false);
        var noOp = change.Op switch
        {
            ProposedOp.Add when exclusion.Excluded => $"{change.Account} is already excluded for token {change.Token} (kind {RevertExplainer.Bytes32Text(exclusion.Kind)})",
            ProposedOp.Remove or ProposedOp.Update when !exclusion.Excluded => $"{change.Account} is not excluded for token {change.Token}",
            ProposedOp.Update when exclusion.Kind == kind && exclusion.Evidence == evidence =>
                $"{change.Account} is already excluded for token {change.Token} with this kind and evidence",
            _ => null,
        };
        if (noOp is not null)
        {
            throw new CliInputException("--account", $"nothing to do: {noOp}; nothing was sent");
        }

        if (change.Op == ProposedOp.Remove)
        {
            return;
        }

        var code = await session.Client.GetCodeAsync(change.Token, BlockId.Latest, cancellationToken).ConfigureAwait(false);
        if (code.Length == 0)
        {
            await session.Error.WriteLineAsync(
                $"warning: --token {change.Token} has no contract code: its circulating supply cannot be read (TokenHasNoCode) until a token is deployed there")
                .ConfigureAwait(false);
        }
        else if (session.HasOracle
            && !(await session.Oracle.ListedTokensAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Contains(change.Token))
        {
            await session.Error.WriteLineAsync(
                $"warning: --token {change.Token} is not listed by the oracle {session.Oracle.Address}: the exclusion changes no free-float figure until it is listed")
                .ConfigureAwait(false);
        }
    }

    private async Task<int> ByIdAsync(Session session, string function, CancellationToken cancellationToken)
    {
        var id = ParseId(session.Value(_id)!);
        var registry = await session.RegistryAsync(cancellationToken).ConfigureAwait(false);
        var call = function == "execute" ? registry.ExecuteCall(id) : registry.CancelCall(id);
        return await ChangeExecutor.RunAsync(session, new PlannedChange(registry, function, call, [("proposal", id.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            cancellationToken).ConfigureAwait(false);
    }

    internal static BigInteger ParseId(string text) =>
        BigInteger.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new CliInputException("--id", $"'{text}' is not a proposal id (a positive integer)");

    internal static ProposedChange ParseChange(Session session, Option<string> token, Option<string> account, Option<string> op)
    {
        var opText = session.Value(op)!;
        var index = ProposalStates.Ops.ToList().IndexOf(opText);
        if (index < 0)
        {
            throw new CliInputException("--op", $"'{opText}' is not one of add, remove, update{NameSuggestion.Hint(opText, ProposalStates.Ops)}");
        }

        return new ProposedChange(Session.ParseAddress("--token", session.Value(token)!), Session.ParseAddress("--account", session.Value(account)!), (ProposedOp)index);
    }
}

/// <summary>The registry's <c>Op</c> enum.</summary>
internal enum ProposedOp
{
    Add = 0,
    Remove = 1,
    Update = 2,
}

/// <summary>What a proposal does: exclude, stop excluding, or re-describe <see cref="Account"/> for <see cref="Token"/>.</summary>
internal sealed record ProposedChange(Contracts.Bindings.Primitives.Address Token, Contracts.Bindings.Primitives.Address Account, ProposedOp Op);
