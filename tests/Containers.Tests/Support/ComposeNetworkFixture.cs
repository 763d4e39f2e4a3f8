using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using DotNet.Testcontainers.Networks;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Containers.Tests.Support;

/// <summary>
/// The compose topology (deploy/compose/compose.yaml) as containers built from deploy/docker: PostgreSQL, anvil, the
/// contracts, one aggregator and three reporters on one network, each configured by the compose file's environment,
/// secrets and configs. Images are built from the local bases of deploy/docker/bases.sh (no registry is reachable
/// here) with the programs published from this checkout's Release build; every container, the network and the
/// images are removed on dispose (the Ryuk reaper image cannot be pulled, so nothing else would).
/// </summary>
public sealed class ComposeNetworkFixture : IAsyncLifetime
{
    /// <summary>Registered reporters, as in compose.yaml.</summary>
    public const int ReporterCount = 3;

    /// <summary>The oracle parameters: section 8 defaults scaled to a ~10 s round (5 blocks of anvil's 2 s in compose.yaml).</summary>
    private static readonly SupplyOracleContract.Params s_parameters = new(RoundBlocks: 5, MinReporters: 3, DivergenceToleranceBps: 200,
        MinCommitInterval: 5, MaxFactorDeltaBps: 1_000, Window: 86_400, MaxWindowDeltaBps: 2_500, ReportStaleAfter: 120, MaxCommitAge: 30 * 86_400,
        MaxReportAgeBlocks: 256, Heartbeat: 5, SupplyDeviationBps: 50);

    /// <summary>Failed health checks tolerated while a container starts (the images' start periods cover slow starts; this covers the wait).</summary>
    private const long HealthFailures = 20;

    private static readonly BigInteger s_unit = BigInteger.Pow(10, 18);
    private readonly string _tag = "test-" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<IFutureDockerImage> _images = [];
    private readonly List<IContainer> _reporters = [];
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly List<string> _timings = [];
    private INetwork? _network;
    private IContainer? _postgres;
    private IContainer? _chain;
    private IContainer? _aggregator;
    private string? _staging;

    /// <summary>Testcontainers' settings for a daemon without registry access (issue 22), unless the caller set them.</summary>
    public ComposeNetworkFixture()
    {
        foreach (var (name, value) in new[] { ("TESTCONTAINERS_RYUK_DISABLED", "true"), ("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1"), ("DOCKER_API_VERSION", "1.41") })
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    /// <summary>The PostgreSQL container (compose service <c>postgres</c>).</summary>
    public IContainer Postgres => _postgres!;

    /// <summary>The anvil container (compose service <c>chain</c>).</summary>
    public IContainer Chain => _chain!;

    /// <summary>The aggregator container.</summary>
    public IContainer Aggregator => _aggregator!;

    /// <summary>The reporter containers, reporter-1 first.</summary>
    public IReadOnlyList<IContainer> Reporters => _reporters;

    /// <summary>Every container of the network.</summary>
    public IEnumerable<IContainer> All => new[] { Postgres, Chain, Aggregator }.Concat(Reporters);

    /// <summary>A JSON-RPC client of the chain container through its published port.</summary>
    public EthereumRpcClient Client { get; private set; } = null!;

    /// <summary>The deployed oracle.</summary>
    public SupplyOracleContract Oracle { get; private set; } = null!;

    /// <summary>The block the oracle was deployed in (where commit scans start).</summary>
    public ulong DeploymentBlock { get; private set; }

    /// <summary>How long each stage of the set-up took, one line each.</summary>
    public IReadOnlyList<string> Timings => _timings;

    /// <summary>A connection string to the aggregator's database through the published port.</summary>
    public string DatabaseFromHost => $"Host=127.0.0.1;Port={Postgres.GetMappedPublicPort(5432)};Username=supplyoracle;Database=supplyoracle;Password={_secrets["postgres-password"]}";

    /// <summary>Builds the images and starts the network.</summary>
    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var ct = cts.Token;
        var clock = Stopwatch.StartNew();
        var bases = (await Shell.RunAsync("bash", ["deploy/docker/bases.sh"], ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var dotnetBase = bases.Single(b => b.StartsWith("supplyoracle-base-dotnet:", StringComparison.Ordinal));
        var postgresBase = bases.Single(b => b.StartsWith("supplyoracle-base-postgres:", StringComparison.Ordinal));
        Lap("local base images (deploy/docker/bases.sh)", clock);

        _staging = Directory.CreateTempSubdirectory("supplyoracle-containers-").FullName;
        foreach (var (project, name) in new[] { ("src/Aggregator/Aggregator.csproj", "aggregator"), ("src/Reporter/Reporter.csproj", "reporter") })
        {
            await Shell.RunAsync("dotnet", ["publish", project, "-c", "Release", "--no-build", "-nologo", "-o", Path.Combine(_staging, "artifacts", "publish", name)], ct);
        }

        Lap("dotnet publish of the aggregator and the reporter (Release build)", clock);

        var docker = Path.Combine(RepoPaths.Root, "deploy", "docker");
        var postgresImage = await BuildAsync("supplyoracle-postgres", "postgres.Dockerfile", docker, null, ("BASE_IMAGE", postgresBase), ct);
        var anvilImage = await BuildAsync("supplyoracle-anvil", "anvil.Dockerfile", Path.GetDirectoryName(RepoPaths.Foundry("anvil"))!, null, ("BASE_IMAGE", dotnetBase), ct);
        // --target prebuilt never runs the SDK stage, but Testcontainers pulls every FROM image before a build: SDK_IMAGE
        // names a local image so that nothing is pulled.
        var aggregatorImage = await BuildAsync("supplyoracle-aggregator", "aggregator.Dockerfile", _staging, "prebuilt", ("RUNTIME_IMAGE", dotnetBase), ct,
            ("SDK_IMAGE", dotnetBase));
        var reporterImage = await BuildAsync("supplyoracle-reporter", "reporter.Dockerfile", _staging, "prebuilt", ("RUNTIME_IMAGE", dotnetBase), ct,
            ("SDK_IMAGE", dotnetBase));
        Lap("image builds (postgres, anvil, aggregator, reporter)", clock);

        _network = new NetworkBuilder().WithName($"supplyoracle-{_tag}").Build();
        await _network.CreateAsync(ct);
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        _secrets["postgres-password"] = password;
        _secrets["pgpass"] = $"postgres:5432:supplyoracle:supplyoracle:{password}\n";

        _postgres = Service("postgres", postgresImage, new Dictionary<string, string>(), 5432);
        var chainService = ComposeFile.Service("chain", new Dictionary<string, string>());
        _chain = new ContainerBuilder(anvilImage)
            .WithNetwork(_network).WithNetworkAliases("chain")
            .WithCommand([.. chainService.Command])
            .WithPortBinding(8545, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilContainerIsHealthy(HealthFailures))
            .Build();
        await Task.WhenAll(_postgres.StartAsync(ct), _chain.StartAsync(ct));
        Lap("PostgreSQL and anvil containers healthy", clock);

        var variables = await DeployAsync(ct);
        Lap("contracts deployed on the anvil container", clock);

        _aggregator = Service("aggregator", aggregatorImage, variables, 7480);
        await _aggregator.StartAsync(ct);
        Lap("aggregator container healthy", clock);
        for (var i = 1; i <= ReporterCount; i++)
        {
            _reporters.Add(Service($"reporter-{i}", reporterImage, variables, 8080));
        }

        await Task.WhenAll(_reporters.Select(r => r.StartAsync(ct)));
        Lap($"{ReporterCount} reporter containers healthy", clock);
    }

    /// <summary>The rounds committed on chain so far (Committed events), in block order.</summary>
    public async Task<IReadOnlyList<ulong>> CommittedRoundsAsync(CancellationToken cancellationToken)
    {
        var head = await Client.BlockNumberAsync(cancellationToken);
        var events = await Oracle.GetCommittedEventsAsync(DeploymentBlock, head, cancellationToken);
        return [.. events.Where(e => !e.Log.Removed).Select(e => e.Round)];
    }

    /// <summary>Waits until at least <paramref name="count"/> rounds are committed; fails with every container's log tail otherwise.</summary>
    public async Task<IReadOnlyList<ulong>> WaitForCommitsAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        IReadOnlyList<ulong> rounds = [];
        try
        {
            while (true)
            {
                rounds = await CommittedRoundsAsync(cts.Token);
                if (rounds.Count >= count)
                {
                    return rounds;
                }

                await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"{rounds.Count} of {count} rounds committed within {timeout.TotalSeconds} s.\n{await LogsAsync()}");
            throw;
        }
    }

    /// <summary>The last lines of every container's output, for failure messages.</summary>
    public async Task<string> LogsAsync()
    {
        var text = new StringBuilder();
        foreach (var (name, container) in new[] { ("aggregator", _aggregator), ("reporter-1", _reporters.FirstOrDefault()), ("chain", _chain), ("postgres", _postgres) })
        {
            if (container is null)
            {
                continue;
            }

            var (stdout, stderr) = await container.GetLogsAsync();
            var lines = (stdout + stderr).Split('\n');
            text.AppendLine(CultureInfo.InvariantCulture, $"--- {name} ({container.Health})").AppendJoin('\n', lines.TakeLast(25)).AppendLine();
        }

        return text.ToString();
    }

    /// <summary>Removes every container, the network and the images built.</summary>
    public async Task DisposeAsync()
    {
        foreach (var container in _reporters.Concat(new[] { _aggregator, _chain, _postgres }.OfType<IContainer>()))
        {
            await container.DisposeAsync();
        }

        if (_network is not null)
        {
            await _network.DeleteAsync();
            await _network.DisposeAsync();
        }

        foreach (var image in _images)
        {
            await image.DeleteAsync();
            await image.DisposeAsync();
        }

        if (_staging is not null)
        {
            Directory.Delete(_staging, recursive: true);
        }
    }

    /// <summary>Records a stage's time; test.sh prints the file named by SUPPLYORACLE_CONTAINERS_TIMINGS after the run.</summary>
    private void Lap(string stage, Stopwatch clock)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{stage}: {clock.Elapsed.TotalSeconds:F0} s");
        _timings.Add(line);
        if (Environment.GetEnvironmentVariable("SUPPLYORACLE_CONTAINERS_TIMINGS") is { Length: > 0 } file)
        {
            File.AppendAllText(file, line + "\n");
        }

        clock.Restart();
    }

    private async Task<IFutureDockerImage> BuildAsync(string name, string dockerfile, string context, string? target, (string Name, string Value) argument,
        CancellationToken cancellationToken, params (string Name, string Value)[] more)
    {
        var builder = new ImageFromDockerfileBuilder()
            .WithName($"{name}:{_tag}")
            .WithDockerfileDirectory(Path.Combine(RepoPaths.Root, "deploy", "docker"))
            .WithDockerfile(dockerfile)
            .WithContextDirectory(context)
            .WithBuildArgument(argument.Name, argument.Value)
            .WithDeleteIfExists(true);
        if (target is not null)
        {
            builder = builder.WithTarget(target);
        }

        foreach (var (key, value) in more)
        {
            builder = builder.WithBuildArgument(key, value);
        }

        var image = builder.Build();
        _images.Add(image);
        await image.CreateAsync(cancellationToken);
        return image;
    }

    /// <summary>A container for a compose service: its environment, command, secrets (mode 0440, owned by the image's user) and configs.</summary>
    private IContainer Service(string name, IImage image, IReadOnlyDictionary<string, string> variables, int healthPort)
    {
        var service = ComposeFile.Service(name, variables);
        var builder = new ContainerBuilder(image)
            .WithNetwork(_network!).WithNetworkAliases(name)
            .WithEnvironment(service.Environment)
            .WithPortBinding(healthPort, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilContainerIsHealthy(HealthFailures));
        if (service.Command.Count > 0)
        {
            builder = builder.WithCommand([.. service.Command]);
        }

        foreach (var secret in service.Secrets)
        {
            builder = builder.WithResourceMapping(Encoding.UTF8.GetBytes(_secrets[secret]), $"/run/secrets/{secret}", 0, 0,
                UnixFileModes.UserRead | UnixFileModes.GroupRead | UnixFileModes.OtherRead);
        }

        foreach (var (file, target) in service.Configs)
        {
            builder = builder.WithResourceMapping(File.ReadAllBytes(file), target, 0, 0,
                UnixFileModes.UserRead | UnixFileModes.GroupRead | UnixFileModes.OtherRead);
        }

        return builder.Build();
    }

    /// <summary>
    /// The operator's steps before <c>docker compose up</c> (README "Operator guide" > "Containers"): the contracts with the
    /// three reporters registered, one listed token, the keys and passwords in secrets/, and the .env variables.
    /// Reporters are dev accounts 1..3, the aggregator's transmitter dev account 4 (all funded by anvil).
    /// </summary>
    private async Task<Dictionary<string, string>> DeployAsync(CancellationToken cancellationToken)
    {
        Client = EthereumRpcClient.Connect(new Uri($"http://127.0.0.1:{Chain.GetMappedPublicPort(8545)}"));
        var owner = OracleNetwork.CreateSender(Client, 0);
        DeploymentBlock = await Client.BlockNumberAsync(cancellationToken);
        var registry = await ExcludedAddressRegistryContract.DeployAsync(owner, owner.Address, owner.Address, 3_600, 14 * 86_400, cancellationToken);
        var reporters = Enumerable.Range(0, ReporterCount).Select(OracleNetwork.ReporterSigner).ToArray();
        Oracle = await SupplyOracleContract.DeployAsync(owner, owner.Address, owner.Address, registry.Address, [.. reporters.Select(r => r.Address)], s_parameters,
            cancellationToken);
        var token = await TestTokenContract.DeployAsync(owner, "Container Test", "CT", 18, owner.Address, cancellationToken);
        await token.MintAsync(owner, owner.Address, 1_000_000 * s_unit, cancellationToken);
        await Oracle.ListTokenAsync(owner, token.Address, cancellationToken);

        for (var i = 0; i < ReporterCount; i++)
        {
            AddKey($"reporter-{i + 1}", AnvilNode.DevAccounts[i + 1].PrivateKey);
        }

        AddKey("aggregator", AnvilNode.DevAccounts[4].PrivateKey);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CHAIN_ID"] = (await Client.ChainIdAsync(cancellationToken)).ToString(CultureInfo.InvariantCulture),
            ["ORACLE"] = Oracle.Address.ToString(),
            ["REGISTRY"] = registry.Address.ToString(),
            ["TOKEN"] = token.Address.ToString(),
            ["TOKEN_FREE_FLOAT"] = (600_000 * s_unit).ToString(CultureInfo.InvariantCulture),
        };
    }

    private void AddKey(string name, string privateKey)
    {
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        _secrets[$"{name}-keystore"] = KeystoreV3.Encrypt(PrivateKey.Parse(privateKey), password);
        _secrets[$"{name}-password"] = password;
    }
}
