using Npgsql;
using SupplyOracle.EventStore.Internal;

namespace SupplyOracle.EventStore.Subscriptions;

/// <summary>The wake-up path: LISTEN on a dedicated connection; a notification only shortens the wait before polling.</summary>
public sealed partial class CatchUpSubscription
{
    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var connectionScope = connection.ConfigureAwait(false);
                connection.Notification += (_, _) => Wake();
                using (var command = new NpgsqlCommand($"LISTEN \"{_names.Channel}\"", connection))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                Wake(); // anything appended while we were not listening
                try
                {
                    while (true)
                    {
                        await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    await UnlistenAsync(connection).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException e)
            {
                Log.ListenerLost(_logger, _projection.Name, e);
                try
                {
                    await Task.Delay(_options.RetryDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The connection goes back to the pool: it must not stay subscribed to the channel.</summary>
    private async Task UnlistenAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            using var command = new NpgsqlCommand("UNLISTEN *", connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one pending wake-up is enough.
        }
    }

    private async Task WaitForWakeAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.PollInterval, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _wake.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Poll interval elapsed without a notification: poll anyway.
        }
    }
}
