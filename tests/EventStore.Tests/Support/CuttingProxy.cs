using System.Net;
using System.Net.Sockets;

namespace SupplyOracle.EventStore.Tests.Support;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL that can lose a reply: once armed, it forwards the client's next request
/// but swallows the server's answer up to and including ReadyForQuery (<c>'Z'</c>, sent only after the transaction's
/// commit or rollback, PostgreSQL docs "Frontend/Backend Protocol", "Extended Query"), then closes both connections.
/// The server has finished (for an autocommit statement or COMMIT: committed) what the client sent, while the client
/// only sees a broken connection: the "commit outcome unknown" case. Clients must connect with SSL Mode=Disable, so
/// every server message is framed as type byte + big-endian int32 length.
/// </summary>
internal sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _armed;

    public CuttingProxy(int targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many replies were dropped.</summary>
    public int Cuts { get; private set; }

    /// <summary>Drop the next reply the server sends on any connection.</summary>
    public void ArmCutOnNextReply() => _armed = true;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            _ = PumpAsync(client, server);
        }
    }

    private async Task PumpAsync(TcpClient client, TcpClient server)
    {
        using (client)
        using (server)
        {
            var up = CopyAsync(client.GetStream(), server.GetStream(), isReply: false);
            var down = CopyAsync(server.GetStream(), client.GetStream(), isReply: true);
            await Task.WhenAny(up, down);
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to, bool isReply)
    {
        var buffer = new byte[64 * 1024];
        var header = new byte[5];
        var headerFill = 0;
        var remaining = 0; // bytes left in the current server message's body
        var cutting = false;
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                if (!isReply)
                {
                    await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                    continue;
                }

                if (_armed && !cutting)
                {
                    _armed = false;
                    cutting = true;
                }

                // Track message boundaries on the server's stream so a cut ends exactly after ReadyForQuery.
                for (var i = 0; i < n;)
                {
                    if (remaining > 0)
                    {
                        var take = Math.Min(remaining, n - i);
                        i += take;
                        remaining -= take;
                    }
                    else
                    {
                        header[headerFill++] = buffer[i++];
                        if (headerFill < 5)
                        {
                            continue;
                        }

                        headerFill = 0;
                        remaining = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4;
                    }

                    if (cutting && remaining == 0 && headerFill == 0 && header[0] == (byte)'Z')
                    {
                        Cuts++;
                        return; // both sockets are closed by PumpAsync: the whole answer is lost
                    }
                }

                if (!cutting)
                {
                    await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
