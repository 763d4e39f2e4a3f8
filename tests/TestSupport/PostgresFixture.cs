using Xunit;

namespace SupplyOracle.TestSupport;

/// <summary>
/// xunit class fixture: a fresh database per test class on one PostgreSQL server shared by the test assembly
/// (started on first use, stopped when the test process exits; tied-child.sh stops it if the process is killed).
/// Tests that stop or restart the server start their own with <see cref="PostgresServer.StartAsync"/>.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static PostgresServer? s_shared;

    /// <summary>Connection string of this class's own database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The shared server (for creating more databases).</summary>
    public PostgresServer Server { get; private set; } = null!;

    /// <summary>The assembly-wide server, started on first use.</summary>
    public static async Task<PostgresServer> SharedServerAsync()
    {
        await s_gate.WaitAsync();
        try
        {
            if (s_shared is null)
            {
                s_shared = await PostgresServer.StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => s_shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return s_shared;
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Server = await SharedServerAsync();
        ConnectionString = await Server.CreateDatabaseAsync();
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;
}
