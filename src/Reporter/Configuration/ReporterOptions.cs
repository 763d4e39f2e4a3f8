namespace SupplyOracle.Reporter.Configuration;

/// <summary>
/// The reporter's settings, section <c>Reporter</c> (JSON file, then environment variables such as
/// <c>Reporter__Rpc__Endpoints__0</c>, then the command line). These classes are the single source of truth for the
/// setting names documented in README.md, "Reporter configuration"; <see cref="ReporterOptionsValidator"/> checks them at
/// start and names the setting at fault.
/// </summary>
public sealed class ReporterOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Reporter";

    /// <summary>The deployment: chain id and contract addresses.</summary>
    public ChainOptions Chain { get; set; } = new();

    /// <summary>JSON-RPC endpoints.</summary>
    public RpcOptions Rpc { get; set; } = new();

    /// <summary>Blocks after <c>B_r</c> before round <c>r</c> is observed (docs/protocol.md section 3). Default 2.</summary>
    public ulong Confirmations { get; set; } = 2;

    /// <summary>How often the chain head is polled, in seconds. Default 2.</summary>
    public double PollIntervalSeconds { get; set; } = 2;

    /// <summary>The signing key.</summary>
    public KeyOptions Key { get; set; } = new();

    /// <summary>The signing journal file (equivocation protection). Required.</summary>
    public string JournalPath { get; set; } = "";

    /// <summary>The covered tokens and their free-float sources. At least one.</summary>
    public List<TokenOptions> Tokens { get; set; } = [];

    /// <summary>Aggregators and peers.</summary>
    public GossipOptions Gossip { get; set; } = new();

    /// <summary>The health endpoint.</summary>
    public HealthOptions Health { get; set; } = new();

    /// <summary>OpenTelemetry export.</summary>
    public TelemetryOptions Telemetry { get; set; } = new();
}

/// <summary><c>Reporter:Chain</c>.</summary>
public sealed class ChainOptions
{
    /// <summary>The chain id; the node refuses to start if the RPC endpoints report another. Required.</summary>
    public ulong ChainId { get; set; }

    /// <summary>The SupplyOracle contract address. Required.</summary>
    public string Oracle { get; set; } = "";

    /// <summary>The ExcludedAddressRegistry contract address. Required.</summary>
    public string Registry { get; set; } = "";
}

/// <summary><c>Reporter:Rpc</c>.</summary>
public sealed class RpcOptions
{
    /// <summary>JSON-RPC endpoint URLs (http/https), at least one. All that answer must agree.</summary>
    public List<string> Endpoints { get; set; } = [];

    /// <summary>How many endpoints must answer a round's read; 0 (default) means all of them.</summary>
    public int Quorum { get; set; }

    /// <summary>Timeout of one JSON-RPC request, in seconds. Default 10.</summary>
    public double TimeoutSeconds { get; set; } = 10;
}

/// <summary><c>Reporter:Key</c>: a keystore V3 file and where its password comes from (exactly one of the two).</summary>
public sealed class KeyOptions
{
    /// <summary>The keystore V3 file. Required.</summary>
    public string Keystore { get; set; } = "";

    /// <summary>A file holding the password.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The name of an environment variable holding the password.</summary>
    public string? PasswordEnvironmentVariable { get; set; }
}

/// <summary><c>Reporter:Tokens:N</c>: one covered token and its free-float sources (combined by median).</summary>
public sealed class TokenOptions
{
    /// <summary>The token address. Required.</summary>
    public string Address { get; set; } = "";

    /// <summary>Extra locked addresses the operator knows of; when set, "circulating minus their balances" is a source.</summary>
    public List<string> ExtraLocked { get; set; } = [];

    /// <summary>HTTP JSON sources.</summary>
    public List<HttpSourceOptions> Http { get; set; } = [];

    /// <summary>A fixed operator value, or null.</summary>
    public FixedSourceOptions? Fixed { get; set; }
}

/// <summary><c>Reporter:Tokens:N:Http:M</c>.</summary>
public sealed class HttpSourceOptions
{
    /// <summary>The URL (GET). Required.</summary>
    public string Url { get; set; } = "";

    /// <summary>Dotted path of the free-float value (native units, integer). Required.</summary>
    public string ValuePath { get; set; } = "";

    /// <summary>Dotted path of the answer's unix timestamp; when set, stale answers are rejected.</summary>
    public string? TimestampPath { get; set; }

    /// <summary>Timeout of one attempt, in seconds. Default 5.</summary>
    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>Retries after a failed attempt. Default 2.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Maximum age of the answer relative to the round's reference time, in seconds. Default 86400.</summary>
    public double MaxAgeSeconds { get; set; } = 86_400;
}

/// <summary><c>Reporter:Tokens:N:Fixed</c>.</summary>
public sealed class FixedSourceOptions
{
    /// <summary>The free-float supply in native units (a decimal integer string). Required.</summary>
    public string Value { get; set; } = "";

    /// <summary>Where the value comes from. Required.</summary>
    public string Note { get; set; } = "";
}

/// <summary><c>Reporter:Gossip</c>.</summary>
public sealed class GossipOptions
{
    /// <summary>Aggregator gRPC URLs; the node keeps one long-lived stream to each.</summary>
    public List<string> Aggregators { get; set; } = [];

    /// <summary>Peer reporter/relay gRPC URLs (their <see cref="Listen"/>) batches are relayed to with <c>Gossip.Relay</c>.</summary>
    public List<string> Peers { get; set; } = [];

    /// <summary>
    /// Listen address of this reporter's <c>Gossip.Relay</c> endpoint for peers (h2c), <c>host:port</c>; empty (default)
    /// disables accepting peers' batches. Must differ from <c>Reporter:Health:Listen</c>.
    /// </summary>
    public string Listen { get; set; } = "";

    /// <summary>Rounds behind the current one that are still relayed and remembered for deduplication. Default 8.</summary>
    public ulong RelayRounds { get; set; } = 8;

    /// <summary>First reconnect delay, in seconds. Default 1.</summary>
    public double ReconnectMinSeconds { get; set; } = 1;

    /// <summary>Largest reconnect delay, in seconds. Default 30.</summary>
    public double ReconnectMaxSeconds { get; set; } = 30;
}

/// <summary><c>Reporter:Health</c>.</summary>
public sealed class HealthOptions
{
    /// <summary>Listen address of <c>/health/live</c> and <c>/health/ready</c>, <c>host:port</c>. Default 127.0.0.1:8080.</summary>
    public string Listen { get; set; } = "127.0.0.1:8080";
}

/// <summary><c>Reporter:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    /// <summary>OTLP endpoint (e.g. http://127.0.0.1:4317); empty disables export. The standard OTEL_EXPORTER_OTLP_ENDPOINT applies when unset.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The service name reported. Default supplyoracle-reporter.</summary>
    public string ServiceName { get; set; } = "supplyoracle-reporter";
}
