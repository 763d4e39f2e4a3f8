using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Support;

/// <summary>Starts a Kestrel host on a loopback port, surviving a port that is briefly taken when the host binds it.</summary>
internal static class LoopbackHost
{
    private const int Attempts = 5;

    /// <summary>
    /// Builds the host for <paramref name="port"/> (or a <see cref="FreePort"/>) and starts it. When the port is in use
    /// (Kestrel: <see cref="IOException"/> over <see cref="AddressInUseException"/>), a port of its own choosing is
    /// replaced by another; a port the caller fixed (peers already know it) is tried again after a moment, since the
    /// holder is most often another process's FreePort probe, which lets go at once.
    /// </summary>
    public static async Task<(WebApplication App, int Port)> StartAsync(int? port, Func<int, WebApplication> build)
    {
        for (var attempt = 1; ; attempt++)
        {
            var p = port ?? FreePort.Next();
            var app = build(p);
            try
            {
                await app.StartAsync();
                return (app, p);
            }
            catch (IOException e) when (attempt < Attempts && e.InnerException is AddressInUseException)
            {
                await app.DisposeAsync();
                if (port is not null)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
                }
            }
        }
    }
}
