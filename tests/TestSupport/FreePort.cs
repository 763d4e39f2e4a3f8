using System.Net;
using System.Net.Sockets;

namespace SupplyOracle.TestSupport;

/// <summary>Free loopback TCP ports. A port can be taken between the probe and its use: callers retry a failed start.</summary>
public static class FreePort
{
    /// <summary>A port that was free on 127.0.0.1 a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
