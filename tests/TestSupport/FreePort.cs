using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SupplyOracle.TestSupport;

/// <summary>
/// Free loopback TCP ports for servers a test starts (Kestrel hosts, anvil, postgres), handed out from below the
/// kernel's ephemeral range.
/// </summary>
/// <remarks>
/// A port from <c>bind(port 0)</c> lies in the ephemeral range (Linux: <c>net.ipv4.ip_local_port_range</c>, 32768-60999),
/// the range every outgoing connection takes its source port from. Between the probe and the server's bind, any
/// connection opened on the machine (HttpClient, Npgsql, gRPC channels of tests running in parallel, other processes)
/// can take it as its source port: "address already in use" under load. Ports below the ephemeral range are never
/// given to outgoing connections; each one is still probed, is handed out once per process, and processes start at
/// random offsets, so that concurrent test processes rarely try the same port. A caller that can still retry a failed
/// start does (anvil, postgres).
/// </remarks>
public static class FreePort
{
    private const int Floor = 10_000;
    private static readonly (int Low, int High) s_range = Range();
    private static int s_next = Random.Shared.Next(s_range.High - s_range.Low);

    /// <summary>A port that was free on 127.0.0.1 a moment ago, below the ephemeral range, not handed out before by this process.</summary>
    /// <exception cref="InvalidOperationException">no port in the range is free.</exception>
    public static int Next()
    {
        var size = s_range.High - s_range.Low;
        for (var tried = 0; tried < size; tried++)
        {
            var port = s_range.Low + (int)((uint)Interlocked.Increment(ref s_next) % (uint)size);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port in {s_range.Low}-{s_range.High - 1}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>[low, high): from <see cref="Floor"/> up to the start of the ephemeral range (32768 when unknown).</summary>
    private static (int Low, int High) Range()
    {
        var ephemeralLow = 32_768;
        const string path = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(path))
        {
            var parts = File.ReadAllText(path).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low) && low > Floor + 1_000)
            {
                ephemeralLow = low;
            }
        }

        return (Floor, ephemeralLow);
    }
}
