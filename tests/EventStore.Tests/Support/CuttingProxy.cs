using System.Net;
using System.Net.Sockets;

namespace SupplyOracle.EventStore.Tests.Support;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL that can lose a reply: once armed, it forwards the client's next request
/// to the server but, when the server answers, drops both connections without relaying the answer. The server has
/// then executed (and, for an autocommit statement, committed) what the client sent, while the client only sees a broken
/// connection: the "commit outcome unknown" case.
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
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                if (isReply && _armed)
                {
                    _armed = false;
                    Cuts++;
                    return; // both sockets are closed by PumpAsync: the reply is lost
                }

                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
