using System.CommandLine;
using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Governance.Cli;
using SupplyOracle.Governance.Output;
using SupplyOracle.Governance.Registry.Impact;

namespace SupplyOracle.Governance.Registry;

/// <summary><c>registry impact</c>: the preview of a pending or hypothetical change at the latest block.</summary>
internal sealed partial class RegistryCommands
{
    private readonly Option<string?> _impactId = new("--id") { Description = "A pending proposal to preview" };
    private readonly Option<string?> _impactAccount = new("--account") { Description = "The account of a hypothetical change" };
    private readonly Option<string[]> _price = new("--price")
    {
        Description = "TOKEN=PRICE: price of one whole token in the vault's unit (default 1); repeat per token",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string> _cap = new("--cap") { Description = "Maximum weight of one token (0..1]", DefaultValueFactory = _ => "1" };
    private readonly Option<string?> _weights = new("--weights") { Description = "Deployed FreeFloatWeights to read today's weights from" };

    private Command CreateImpact(CommandRunner runner)
    {
        var impact = new Command("impact",
            "Preview a pending (--id) or hypothetical (--token --account --op) change: circulating, free-float supply and the consumer's weights, at the latest block")
        {
            _impactId, _optionalToken, _impactAccount, _op, _price, _cap, _weights,
        };
        runner.Bind(impact, ImpactAsync);
        return impact;
    }

    private async Task<int> ImpactAsync(Session session, CancellationToken cancellationToken)
    {
        var registry = await session.RegistryAsync(cancellationToken).ConfigureAwait(false);
        var latest = await session.LatestBlockAsync(cancellationToken).ConfigureAwait(false);
        var change = await ResolveChangeAsync(session, registry, latest.Number, cancellationToken).ConfigureAwait(false);
        var cap = Session.ParseWad("--cap", session.Value(_cap)!);
        if (cap.IsZero || cap > BigInteger.Pow(10, 18))
        {
            throw new CliInputException("--cap", "must be in (0, 1]");
        }

        var prices = new Dictionary<Address, BigInteger>();
        foreach (var entry in session.Value(_price) ?? [])
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2)
            {
                throw new CliInputException("--price", $"'{entry}' is not TOKEN=PRICE");
            }

            prices[Session.ParseAddress("--price", parts[0])] = Session.ParseWad("--price", parts[1]);
        }

        var weightsText = session.Value(_weights);
        var weights = weightsText is null ? null : new FreeFloatWeightsContract(session.Client, Session.ParseAddress("--weights", weightsText));
        var report = await ImpactCalculator.ComputeAsync(session.Client, session.Oracle, registry, weights, change, prices, cap, latest.Number, latest.Timestamp,
            cancellationToken).ConfigureAwait(false);
        var units = await TokenUnits.ReadAsync(session.Client, [change.Token], BlockId.AtNumber(latest.Number), cancellationToken).ConfigureAwait(false);
        await ImpactPrinter.PrintAsync(session.Printer, report, units[change.Token]).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private async Task<ProposedChange> ResolveChangeAsync(Session session, ExcludedAddressRegistryContract registry, ulong block, CancellationToken cancellationToken)
    {
        var idText = session.Value(_impactId);
        var tokenText = session.Value(_optionalToken);
        var accountText = session.Value(_impactAccount);
        if (idText is null)
        {
            if (tokenText is null || accountText is null)
            {
                throw new CliInputException("--id", "give a pending proposal (--id) or a hypothetical change (--token, --account and --op)");
            }

            var opText = session.Value(_op)!;
            var op = ProposalStates.Ops.ToList().IndexOf(opText);
            return op < 0
                ? throw new CliInputException("--op", $"'{opText}' is not one of add, remove, update")
                : new ProposedChange(Session.ParseAddress("--token", tokenText), Session.ParseAddress("--account", accountText), (ProposedOp)op);
        }

        if (tokenText is not null || accountText is not null)
        {
            throw new CliInputException("--id", "give either --id or --token/--account, not both");
        }

        var id = ParseId(idText);
        var proposal = await registry.ProposalAsync(id, BlockId.AtNumber(block), cancellationToken).ConfigureAwait(false);
        if (proposal.State != 1)
        {
            throw new CommandFailedException("not-pending", $"proposal {id} is not pending: it was {ProposalStates.Name(proposal.State)}");
        }

        return new ProposedChange(proposal.Token, proposal.Account, (ProposedOp)proposal.Op);
    }
}
