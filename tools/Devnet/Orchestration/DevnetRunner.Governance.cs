using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Devnet.Governance;
using SupplyOracle.Devnet.View;

namespace SupplyOracle.Devnet.Orchestration;

internal sealed partial class DevnetRunner
{
    /// <summary>The token whose exchange cold wallet governance excludes while the network runs.</summary>
    private const string GovernedSymbol = "AUR";

    /// <summary>
    /// The governance step (docs/protocol.md section 10) as an operator runs it: <c>supplyoracle registry propose</c> queues
    /// the exclusion of an exchange cold wallet, anvil's clock is moved past the registry's timelock (1 hour, the
    /// protocol's minimum), and <c>supplyoracle registry execute</c> runs it while the nodes warm up; the first commit
    /// that carries the lower circulating supply is reported as its effect.
    /// </summary>
    private async Task RunGovernanceAsync(CancellationToken cancellationToken)
    {
        var chain = _chain!;
        var token = chain.Tokens.Single(t => t.Plan.Symbol == GovernedSymbol);
        var holding = token.Plan.Of(HolderRole.ExchangeCold);
        var cli = new GovernanceCli(_anvil!.RpcUrl, chain.Oracle.Address);

        // Queue the change at once and move the clock past the timelock while the nodes warm up ...
        var (evidence, _) = await DevnetChain.WriteEvidenceAsync(_directory!.Evidence, $"{token.Plan.Symbol}-{holding.Label}.txt",
            ExclusionKinds.Memo(token.Plan, holding), cancellationToken).ConfigureAwait(false);
        await cli.ProposeExclusionAsync(token.Address, holding.Account, "exchange-cold", evidence, cancellationToken).ConfigureAwait(false);
        var id = await chain.Registry.ProposalCountAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _monitor!.Note($"governance: supplyoracle registry propose: exclude {GovernedSymbol} {holding.Label} {holding.Account} (exchange-cold), proposal {id}");
        await chain.IncreaseTimeAsync(DevnetParameters.RegistryDelaySeconds + 1).ConfigureAwait(false);
        _monitor.Note($"governance: anvil clock moved {DevnetParameters.RegistryDelaySeconds + 1} s forward, past the registry's timelock");
        var head = await chain.Client.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
        while (await chain.Client.BlockNumberAsync(cancellationToken).ConfigureAwait(false) <= head)
        {
            // The CLI simulates against the latest block: wait for the first block with the new time.
            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(false);
        }

        // ... then execute it, and report the first commit that carries the lower circulating supply.
        var before = await chain.Registry.OnChainCirculatingAsync(token.Address, BlockId.Latest, cancellationToken).ConfigureAwait(false);
        await cli.ExecuteAsync(id, cancellationToken).ConfigureAwait(false);
        _monitor.Note($"governance: supplyoracle registry execute --id {id}: {GovernedSymbol} {holding.Label} is excluded from circulating supply");
        while (true)
        {
            var snapshot = await _monitor.ReadAsync(cancellationToken).ConfigureAwait(false);
            var now = snapshot.Tokens.Single(t => t.Symbol == GovernedSymbol);
            if (now.Initialized && now.Circulating < before)
            {
                _monitor.Note($"effect on round {snapshot.Commits[^1].Round}: {GovernedSymbol} circulating {Format.Tokens(before, now.Decimals)} before the exclusion -> " +
                    $"{Format.Tokens(now.Circulating, now.Decimals)} committed, factor {Format.Factor(now.Factor)}");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
