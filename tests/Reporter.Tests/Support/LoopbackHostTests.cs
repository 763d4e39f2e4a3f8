using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Support;

public sealed class LoopbackHostTests
{
    [Fact]
    public async Task StartAsync_FixedPortHeldBriefly_StartsOnItOnceReleased()
    {
        var port = FreePort.Next();
        var holder = new TcpListener(IPAddress.Loopback, port);
        holder.Start();
        var builds = 0;
        var start = LoopbackHost.StartAsync(port, p =>
        {
            Interlocked.Increment(ref builds);
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, p));
            return builder.Build();
        });
        while (Volatile.Read(ref builds) < 2 && !start.IsCompleted)
        {
            await Task.Delay(10); // the first bind failed against the holder
        }

        holder.Stop();
        var (app, bound) = await start;
        await using (app)
        {
            Assert.Equal(port, bound);
            Assert.True(builds >= 2);
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
        }
    }
}
