namespace SupplyOracle.Grpc;

/// <summary>Reads the messages of a stream one at a time (the request stream on a server, the response stream on a client).</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IGrpcStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNextAsync"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message; false at the end of the stream. Fails with <see cref="GrpcStatusException"/>.</summary>
    ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default);
}

/// <summary>Writes messages to a stream; one write at a time (a concurrent write throws <see cref="InvalidOperationException"/>).</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IGrpcStreamWriter<in T>
{
    /// <summary>Writes and flushes one message.</summary>
    ValueTask WriteAsync(T message, CancellationToken cancellationToken = default);
}

/// <summary>A client's request stream: messages, then <see cref="CompleteAsync"/> (END_STREAM).</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IClientStreamWriter<in T> : IGrpcStreamWriter<T>
{
    /// <summary>Ends the request stream; the server sees the end of its request messages.</summary>
    ValueTask CompleteAsync();
}

/// <summary>Helpers over <see cref="IGrpcStreamReader{T}"/>.</summary>
public static class GrpcStreamReaderExtensions
{
    /// <summary>Enumerates every remaining message of the stream.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(this IGrpcStreamReader<T> reader,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
