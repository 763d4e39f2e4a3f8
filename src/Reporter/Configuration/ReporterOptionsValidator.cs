using System.Globalization;
using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Reporter.Configuration;

/// <summary>A setting that is missing or not acceptable; <see cref="Setting"/> is its full configuration path.</summary>
public sealed class ReporterConfigurationException(string setting, string problem)
    : Exception($"{setting}: {problem}")
{
    /// <summary>The setting path, e.g. <c>Reporter:Rpc:Endpoints:0</c>.</summary>
    public string Setting { get; } = setting;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}

/// <summary>Checks <see cref="ReporterOptions"/> at start; the first problem is thrown, naming the setting.</summary>
public static class ReporterOptionsValidator
{
    /// <summary>Validates every setting.</summary>
    /// <exception cref="ReporterConfigurationException">A setting is missing or not acceptable.</exception>
    public static void Validate(ReporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string p = ReporterOptions.Section;
        Require(options.Chain.ChainId != 0, $"{p}:Chain:ChainId", "is required (non-zero)");
        NonZeroAddress(options.Chain.Oracle, $"{p}:Chain:Oracle");
        NonZeroAddress(options.Chain.Registry, $"{p}:Chain:Registry");

        Require(options.Rpc.Endpoints.Count > 0, $"{p}:Rpc:Endpoints", "at least one JSON-RPC endpoint is required");
        for (var i = 0; i < options.Rpc.Endpoints.Count; i++)
        {
            HttpUrl(options.Rpc.Endpoints[i], $"{p}:Rpc:Endpoints:{i}");
        }
        Require(options.Rpc.Endpoints.Distinct(StringComparer.OrdinalIgnoreCase).Count() == options.Rpc.Endpoints.Count, $"{p}:Rpc:Endpoints", "lists an endpoint twice");
        Require(options.Rpc.Quorum >= 0 && options.Rpc.Quorum <= options.Rpc.Endpoints.Count, $"{p}:Rpc:Quorum",
            $"must be 0 (all) or 1 ..= {options.Rpc.Endpoints.Count}, got {options.Rpc.Quorum}");
        Positive(options.Rpc.TimeoutSeconds, $"{p}:Rpc:TimeoutSeconds");
        Require(options.Confirmations <= 256, $"{p}:Confirmations", "must be at most 256 (the contract's blockhash horizon)");
        Positive(options.PollIntervalSeconds, $"{p}:PollIntervalSeconds");

        Require(!string.IsNullOrWhiteSpace(options.Key.Keystore), $"{p}:Key:Keystore", "is required");
        Require(string.IsNullOrWhiteSpace(options.Key.PasswordFile) != string.IsNullOrWhiteSpace(options.Key.PasswordEnvironmentVariable),
            $"{p}:Key:PasswordFile", $"set exactly one of {p}:Key:PasswordFile and {p}:Key:PasswordEnvironmentVariable");
        Require(!string.IsNullOrWhiteSpace(options.JournalPath), $"{p}:JournalPath", "is required");

        Require(options.Tokens.Count > 0, $"{p}:Tokens", "at least one token is required");
        var seen = new HashSet<Address>();
        for (var i = 0; i < options.Tokens.Count; i++)
        {
            var t = options.Tokens[i];
            var path = $"{p}:Tokens:{i}";
            var token = NonZeroAddress(t.Address, $"{path}:Address");
            Require(seen.Add(token), $"{path}:Address", $"token {token} is listed twice");
            for (var j = 0; j < t.ExtraLocked.Count; j++)
            {
                NonZeroAddress(t.ExtraLocked[j], $"{path}:ExtraLocked:{j}");
            }
            Require(t.ExtraLocked.Count > 0 || t.Http.Count > 0 || t.Fixed is not null, path, "has no free-float source (ExtraLocked, Http or Fixed)");
            for (var j = 0; j < t.Http.Count; j++)
            {
                var h = t.Http[j];
                var hp = $"{path}:Http:{j}";
                HttpUrl(h.Url, $"{hp}:Url");
                Require(!string.IsNullOrWhiteSpace(h.ValuePath), $"{hp}:ValuePath", "is required");
                Positive(h.TimeoutSeconds, $"{hp}:TimeoutSeconds");
                Require(h.Retries is >= 0 and <= 10, $"{hp}:Retries", $"must be 0 ..= 10, got {h.Retries}");
                Positive(h.MaxAgeSeconds, $"{hp}:MaxAgeSeconds");
            }
            if (t.Fixed is { } f)
            {
                Require(BigInteger.TryParse(f.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0, $"{path}:Fixed:Value",
                    $"must be a positive integer in native units, got '{f.Value}'");
                Require(!string.IsNullOrWhiteSpace(f.Note), $"{path}:Fixed:Note", "is required: say where the fixed value comes from");
            }
        }

        for (var i = 0; i < options.Gossip.Aggregators.Count; i++)
        {
            HttpUrl(options.Gossip.Aggregators[i], $"{p}:Gossip:Aggregators:{i}");
        }
        for (var i = 0; i < options.Gossip.Peers.Count; i++)
        {
            HttpUrl(options.Gossip.Peers[i], $"{p}:Gossip:Peers:{i}");
        }
        if (!string.IsNullOrWhiteSpace(options.Gossip.Listen))
        {
            Require(System.Net.IPEndPoint.TryParse(options.Gossip.Listen, out var listen) && listen.Port != 0, $"{p}:Gossip:Listen",
                $"must be host:port with an IP address, got '{options.Gossip.Listen}'");
            Require(options.Gossip.Listen != options.Health.Listen, $"{p}:Gossip:Listen", $"must differ from {p}:Health:Listen");
        }
        Require(options.Gossip.RelayRounds is >= 1 and <= 1024, $"{p}:Gossip:RelayRounds", $"must be 1 ..= 1024, got {options.Gossip.RelayRounds}");
        Positive(options.Gossip.ReconnectMinSeconds, $"{p}:Gossip:ReconnectMinSeconds");
        Require(options.Gossip.ReconnectMaxSeconds >= options.Gossip.ReconnectMinSeconds, $"{p}:Gossip:ReconnectMaxSeconds", "must be >= ReconnectMinSeconds");
        Require(System.Net.IPEndPoint.TryParse(options.Health.Listen, out var health) && health.Port != 0, $"{p}:Health:Listen",
            $"must be host:port with an IP address, got '{options.Health.Listen}'");
        if (!string.IsNullOrWhiteSpace(options.Telemetry.OtlpEndpoint))
        {
            HttpUrl(options.Telemetry.OtlpEndpoint, $"{p}:Telemetry:OtlpEndpoint");
        }
    }

    private static void Require(bool condition, string setting, string problem)
    {
        if (!condition)
        {
            throw new ReporterConfigurationException(setting, problem);
        }
    }

    private static void Positive(double value, string setting) =>
        Require(value > 0 && double.IsFinite(value), setting, $"must be a positive number, got {value.ToString(CultureInfo.InvariantCulture)}");

    private static Address NonZeroAddress(string? text, string setting)
    {
        Require(Address.TryParse(text, out var address), setting, string.IsNullOrWhiteSpace(text) ? "is required" : $"'{text}' is not an address (0x + 40 hex digits, valid EIP-55 checksum if mixed case)");
        Require(!address.IsZero, setting, "must not be the zero address");
        return address;
    }

    private static void HttpUrl(string? text, string setting) =>
        Require(Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps), setting,
            string.IsNullOrWhiteSpace(text) ? "is required" : $"'{text}' is not an http(s) URL");
}
