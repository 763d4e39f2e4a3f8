using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Reporter.Gossip;

/// <summary>
/// What the relay checks a peer's batch against: the verifier's expectations (roundBlocks, registered reporters) and
/// the round in progress at the chain head, which bounds the rounds worth relaying (docs/protocol.md sections 3 and 4).
/// </summary>
/// <param name="Expectations">Passed to the shared <see cref="BatchVerifier"/>.</param>
/// <param name="CurrentRound">The round whose reference block is at or below the head (<c>head / roundBlocks</c>).</param>
public sealed record RelayView(BatchExpectations Expectations, ulong CurrentRound);

/// <summary>Reads the <see cref="RelayView"/> from the oracle at the head, cached for <c>maxAge</c>.</summary>
internal sealed class ChainRelayView(Contracts.Bindings.JsonRpc.EthereumRpcClient head, OracleStateReader state, TimeSpan maxAge, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (RelayView View, DateTimeOffset At)? _cached;

    public async ValueTask<RelayView> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } c && time.GetUtcNow() - c.At < maxAge)
            {
                return c.View;
            }
            var block = await head.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
            var snapshot = await state.ReadAsync(block, cancellationToken).ConfigureAwait(false);
            var expectations = snapshot.BatchExpectations();
            var view = new RelayView(expectations, expectations.RoundBlocks == 0 ? 0 : block / expectations.RoundBlocks);
            _cached = (view, time.GetUtcNow());
            return view;
        }
        finally
        {
            _gate.Release();
        }
    }
}
