using SupplyOracle.Devnet.Chain;
using SupplyOracle.Devnet.Governance;
using SupplyOracle.Devnet.View;

namespace SupplyOracle.Devnet.Orchestration;

internal sealed partial class DevnetRunner
{
    /// <summary>The token whose exchange cold wallet governance excludes while the network runs.</summary>
    private const string GovernedSymbol = "AUR";

    /// <summary>
    /// The governance step (PROTOCOL.md section 10) as an operator runs it: once the first round's batches reach the
    /// aggregator, <c>supplyoracle registry propose</c> queues the exclusion of an exchange cold wallet; anvil's clock
    /// is moved past the registry's timelock (1 hour, the protocol's minimum) and <c>supplyoracle registry execute</c>
    /// runs it; the next commit that carries the lower circulating supply is reported as its effect.
    /// </summary>
    private async Task RunGovernanceAsync(CancellationToken cancellationToken)
    {
        var chain = _chain!;
        var token = chain.Tokens.Single(t => t.Plan.Symbol == GovernedSymbol);
        var holding = token.Plan.Of(HolderRole.ExchangeCold);
        var cli = new GovernanceCli(_anvil!.RpcUrl, chain.Oracle.Address);

        // Wait until the network works: a round with batches from a quorum of reporters.
        while (true)
        {
            var snapshot = await _monitor!.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (snapshot.AcceptedBatches.Values.Any(n => n >= (int)DevnetParameters.Oracle.MinReporters) || snapshot.Commits.Count > 0)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }

        var (evidence, _) = await DevnetChain.WriteEvidenceAsync(_directory!.Evidence, $"{token.Plan.Symbol}-{holding.Label}.txt",
            ExclusionKinds.Memo(token.Plan, holding), cancellationToken).ConfigureAwait(false);
        await cli.ProposeExclusionAsync(token.Address, holding.Account, "exchange-cold", evidence, cancellationToken).ConfigureAwait(false);
        var id = await chain.Registry.ProposalCountAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _monitor.Note($"governance: supplyoracle registry propose: exclude {GovernedSymbol} {holding.Label} {holding.Account} (exchange-cold), proposal {id}");

        await chain.IncreaseTimeAsync(DevnetParameters.RegistryDelaySeconds + 1).ConfigureAwait(false);
        var head = await chain.Client.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
        while (await chain.Client.BlockNumberAsync(cancellationToken).ConfigureAwait(false) <= head)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(false);
        }

        await cli.ExecuteAsync(id, cancellationToken).ConfigureAwait(false);
        var before = (await _monitor.ReadAsync(cancellationToken).ConfigureAwait(false)).Tokens.Single(t => t.Symbol == GovernedSymbol);
        _monitor.Note($"governance: anvil clock +{DevnetParameters.RegistryDelaySeconds + 1} s (timelock), supplyoracle registry execute --id {id}: done");

        while (true)
        {
            var snapshot = await _monitor.ReadAsync(cancellationToken).ConfigureAwait(false);
            var now = snapshot.Tokens.Single(t => t.Symbol == GovernedSymbol);
            if (now.Initialized && now.Circulating < before.Circulating)
            {
                var round = snapshot.Commits.Count > 0 ? snapshot.Commits[^1].Round : 0;
                _monitor.Note($"effect on round {round}: {GovernedSymbol} circulating {Format.Tokens(before.Circulating, before.Decimals)} -> " +
                    $"{Format.Tokens(now.Circulating, now.Decimals)}, factor {Format.Factor(before.Factor)} -> {Format.Factor(now.Factor)} (clamped per step)");
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
