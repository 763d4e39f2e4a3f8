using System.Globalization;
using System.Net;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;

namespace SupplyOracle.Aggregator.Configuration;

/// <summary>
/// The <c>Aggregator:</c> configuration section (JSON file given to <c>run --config</c>, then environment variables
/// <c>Aggregator__Name</c>, then the command line): the single source of truth for the aggregator's settings
/// (README.md "Aggregator configuration"). <see cref="Validate"/> names the setting at fault.
/// </summary>
public sealed partial class AggregatorOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Aggregator";

    /// <summary><c>Aggregator:ChainId</c>: the EIP-155 chain id of the oracle's chain (EIP-712 domain). Required.</summary>
    public ulong ChainId { get; set; }

    /// <summary><c>Aggregator:Oracle</c>: the SupplyOracle contract address (EIP-712 verifying contract). Required.</summary>
    public string Oracle { get; set; } = "";

    /// <summary><c>Aggregator:Registry</c>: the ExcludedAddressRegistry contract address. Required.</summary>
    public string Registry { get; set; } = "";

    /// <summary><c>Aggregator:RpcUrl</c>: the JSON-RPC endpoint (http or https). Required.</summary>
    public string RpcUrl { get; set; } = "";

    /// <summary><c>Aggregator:Database</c>: the PostgreSQL connection string of the event store. Required.</summary>
    public string Database { get; set; } = "";

    /// <summary><c>Aggregator:EventStoreSchema</c>: the PostgreSQL schema of the event store. Default <c>eventstore</c>.</summary>
    public string EventStoreSchema { get; set; } = "eventstore";

    /// <summary><c>Aggregator:GrpcListen</c>: <c>host:port</c> of the gossip gRPC endpoint (h2c). Default <c>127.0.0.1:7443</c>.</summary>
    public string GrpcListen { get; set; } = "127.0.0.1:7443";

    /// <summary><c>Aggregator:HttpListen</c>: <c>host:port</c> of the HTTP/1.1 endpoint (<c>/healthz</c>); empty for none. Default <c>127.0.0.1:7480</c>.</summary>
    public string HttpListen { get; set; } = "127.0.0.1:7480";

    /// <summary><c>Aggregator:ViewRefreshSeconds</c>: how long the reporter set, parameters and lastRound read from the oracle are reused. Default 5.</summary>
    public double ViewRefreshSeconds { get; set; } = 5;

    /// <summary><c>Aggregator:BlockCacheSeconds</c>: how long a block header and the head are reused for the canonical check. Default 1.</summary>
    public double BlockCacheSeconds { get; set; } = 1;

    /// <summary>Checks every setting; the message names the first one at fault.</summary>
    /// <exception cref="AggregatorConfigurationException">A setting is missing or invalid.</exception>
    public ValidatedAggregatorOptions Validate()
    {
        if (ChainId == 0)
        {
            throw new AggregatorConfigurationException("Aggregator:ChainId", "is required (the EIP-155 chain id, > 0)");
        }

        var oracle = ParseAddress("Aggregator:Oracle", Oracle);
        var registry = ParseAddress("Aggregator:Registry", Registry);
        if (!Uri.TryCreate(RpcUrl, UriKind.Absolute, out var rpc) || rpc.Scheme is not ("http" or "https"))
        {
            throw new AggregatorConfigurationException("Aggregator:RpcUrl", $"must be an absolute http(s) URL; got '{RpcUrl}'");
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            throw new AggregatorConfigurationException("Aggregator:Database", "is required (a PostgreSQL connection string)");
        }

        if (string.IsNullOrWhiteSpace(EventStoreSchema))
        {
            throw new AggregatorConfigurationException("Aggregator:EventStoreSchema", "may not be empty");
        }

        var grpc = ParseEndPoint("Aggregator:GrpcListen", GrpcListen)!;
        var http = string.IsNullOrWhiteSpace(HttpListen) ? null : ParseEndPoint("Aggregator:HttpListen", HttpListen);
        if (!(ViewRefreshSeconds > 0))
        {
            throw new AggregatorConfigurationException("Aggregator:ViewRefreshSeconds", $"must be > 0; got {ViewRefreshSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!(BlockCacheSeconds >= 0))
        {
            throw new AggregatorConfigurationException("Aggregator:BlockCacheSeconds", $"must be >= 0; got {BlockCacheSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        return new ValidatedAggregatorOptions(ChainId, oracle, registry, rpc, Database, EventStoreSchema, grpc, http,
            TimeSpan.FromSeconds(ViewRefreshSeconds), TimeSpan.FromSeconds(BlockCacheSeconds), ValidateRounds());
    }

    // ---- Transmission (Transmission/, Intake/Chain/): sender fees, confirmation, low-balance alarm, log polling ----

    /// <summary><c>Aggregator:MaxFeePerGasGwei</c>: the fee ceiling of commits (maxFeePerGas never exceeds it, replacements included). Default 500.</summary>
    public decimal MaxFeePerGasGwei { get; set; } = 500;

    /// <summary><c>Aggregator:ConfirmationDepth</c>: blocks (the including one counted) before a commit counts as confirmed. Default 2.</summary>
    public ulong ConfirmationDepth { get; set; } = 2;

    /// <summary><c>Aggregator:StuckAfterSeconds</c>: a commit not mined after this long is replaced (same nonce, fees +ReplacementBumpPercent). Default 60.</summary>
    public double StuckAfterSeconds { get; set; } = 60;

    /// <summary><c>Aggregator:ReplacementBumpPercent</c>: the fee rise of a replacement, at least 10 (geth's and anvil's txpool rule). Default 15.</summary>
    public int ReplacementBumpPercent { get; set; } = 15;

    /// <summary><c>Aggregator:LowBalanceWei</c>: the sender balance below which the low-balance alarm is raised; empty for the default (LowBalanceCommits commits at the fee ceiling).</summary>
    public string LowBalanceWei { get; set; } = "";

    /// <summary><c>Aggregator:LowBalanceCommits</c>: without LowBalanceWei, alarm when the balance pays for fewer than this many commits (fee ceiling × last gas used). Default 10.</summary>
    public int LowBalanceCommits { get; set; } = 10;

    /// <summary><c>Aggregator:ChainLogPollSeconds</c>: how often the oracle's logs are polled for reporter, parameter and round changes. Default 1.</summary>
    public double ChainLogPollSeconds { get; set; } = 1;

    /// <summary>Checks the transmission settings; the message names the first one at fault.</summary>
    /// <exception cref="AggregatorConfigurationException">A setting is invalid.</exception>
    public ValidatedTransmissionOptions ValidateTransmission()
    {
        if (!(MaxFeePerGasGwei > 0))
        {
            throw new AggregatorConfigurationException("Aggregator:MaxFeePerGasGwei", $"must be > 0; got {MaxFeePerGasGwei.ToString(CultureInfo.InvariantCulture)}");
        }

        if (ConfirmationDepth < 1)
        {
            throw new AggregatorConfigurationException("Aggregator:ConfirmationDepth", "must be >= 1");
        }

        if (!(StuckAfterSeconds > 0))
        {
            throw new AggregatorConfigurationException("Aggregator:StuckAfterSeconds", $"must be > 0; got {StuckAfterSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        if (ReplacementBumpPercent < 10)
        {
            throw new AggregatorConfigurationException("Aggregator:ReplacementBumpPercent", $"must be >= 10 (the txpool refuses smaller bumps); got {ReplacementBumpPercent}");
        }

        Wei? lowBalance = null;
        if (!string.IsNullOrWhiteSpace(LowBalanceWei))
        {
            if (!System.Numerics.BigInteger.TryParse(LowBalanceWei, NumberStyles.None, CultureInfo.InvariantCulture, out var wei) || wei.IsZero)
            {
                throw new AggregatorConfigurationException("Aggregator:LowBalanceWei", $"must be a positive whole number of wei; got '{LowBalanceWei}'");
            }

            lowBalance = new Wei(wei);
        }

        if (LowBalanceCommits < 1)
        {
            throw new AggregatorConfigurationException("Aggregator:LowBalanceCommits", $"must be >= 1; got {LowBalanceCommits}");
        }

        if (!(ChainLogPollSeconds >= 0))
        {
            throw new AggregatorConfigurationException("Aggregator:ChainLogPollSeconds", $"must be >= 0; got {ChainLogPollSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        var ceiling = Wei.FromGwei(MaxFeePerGasGwei);
        return new ValidatedTransmissionOptions(
            new SenderOptions { MaxFeePerGasCeiling = ceiling, ConfirmationDepth = ConfirmationDepth, StuckAfter = TimeSpan.FromSeconds(StuckAfterSeconds), ReplacementBumpPercent = ReplacementBumpPercent },
            new Transmission.SenderBalanceAlarmOptions { Threshold = lowBalance, Commits = LowBalanceCommits, FeeCeiling = ceiling },
            TimeSpan.FromSeconds(ChainLogPollSeconds));
    }

    private static Address ParseAddress(string setting, string value) =>
        Address.TryParse(value, out var address) && !address.IsZero
            ? address
            : throw new AggregatorConfigurationException(setting, $"must be a non-zero 0x address; got '{value}'");

    private static IPEndPoint ParseEndPoint(string setting, string value) =>
        IPEndPoint.TryParse(value, out var endPoint) && endPoint.Port != 0
            ? endPoint
            : throw new AggregatorConfigurationException(setting, $"must be ip:port with a non-zero port; got '{value}'");
}

/// <summary>The settings after <see cref="AggregatorOptions.Validate"/>, as domain values.</summary>
/// <param name="ChainId">The chain id.</param>
/// <param name="Oracle">The SupplyOracle address.</param>
/// <param name="Registry">The registry address.</param>
/// <param name="RpcUrl">The JSON-RPC endpoint.</param>
/// <param name="Database">The PostgreSQL connection string.</param>
/// <param name="EventStoreSchema">The event store schema.</param>
/// <param name="GrpcListen">The gossip endpoint.</param>
/// <param name="HttpListen">The HTTP endpoint, if any.</param>
/// <param name="ViewRefresh">How long the oracle view is reused.</param>
/// <param name="BlockCache">How long block headers are reused.</param>
/// <param name="Rounds">The round loop's settings (transmitter key, deadlines, fees).</param>
public sealed record ValidatedAggregatorOptions(ulong ChainId, Address Oracle, Address Registry, Uri RpcUrl, string Database, string EventStoreSchema,
    IPEndPoint GrpcListen, IPEndPoint? HttpListen, TimeSpan ViewRefresh, TimeSpan BlockCache, RoundLoopOptions Rounds);

/// <summary>The transmission settings after <see cref="AggregatorOptions.ValidateTransmission"/>.</summary>
/// <param name="Sender">The commit sender's options (fee ceiling, depth, replacement).</param>
/// <param name="LowBalance">The low-balance alarm's options.</param>
/// <param name="ChainLogPoll">How often the oracle's logs are polled by the intake view.</param>
public sealed record ValidatedTransmissionOptions(SenderOptions Sender, Transmission.SenderBalanceAlarmOptions LowBalance, TimeSpan ChainLogPoll);

/// <summary>A configuration setting is missing or invalid; <see cref="Setting"/> names it.</summary>
public sealed class AggregatorConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AggregatorConfigurationException(string setting, string problem)
        : base($"{setting} {problem}")
    {
        Setting = setting;
    }

    /// <summary>The setting at fault, e.g. <c>Aggregator:RpcUrl</c>.</summary>
    public string Setting { get; } = "";
}
