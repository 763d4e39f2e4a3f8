using System.Globalization;

namespace SupplyOracle.Aggregator.Configuration;

/// <summary>The round loop's settings (README.md "Aggregator configuration", "Round lifecycle").</summary>
public sealed partial class AggregatorOptions
{
    /// <summary><c>Aggregator:Id</c>: this aggregator's id in proposal ids (<c>id/round/stateBlock</c>). Default: the host name.</summary>
    public string Id { get; set; } = "";

    /// <summary>
    /// <c>Aggregator:Keystore</c>: keystore V3 file of the transaction key (no authority: it only pays for commits), with
    /// <c>Aggregator:PasswordFile</c>. Without a key (neither this nor <c>PrivateKeyFile</c>) the aggregator only serves intake.
    /// </summary>
    public string Keystore { get; set; } = "";

    /// <summary><c>Aggregator:PasswordFile</c>: file holding the keystore password (trailing newline removed).</summary>
    public string PasswordFile { get; set; } = "";

    /// <summary><c>Aggregator:PrivateKeyFile</c>: for development only, a file holding the transaction key as hex.</summary>
    public string PrivateKeyFile { get; set; } = "";

    /// <summary>
    /// <c>Aggregator:CloseAfterSeconds</c>: after <c>B_r + ReporterConfirmations</c> is first seen, the round is closed at this deadline even
    /// if not every registered reporter was heard (docs/protocol.md section 3). Default 30.
    /// </summary>
    public double CloseAfterSeconds { get; set; } = 30;

    /// <summary>
    /// <c>Aggregator:ReporterConfirmations</c>: the reporters' <c>Reporter:Confirmations</c>. Round <c>r</c> is opened, and
    /// its <c>CloseAfterSeconds</c> window starts, when this aggregator first sees <c>head >= B_r + ReporterConfirmations</c>
    /// (when reporters can first send batches, docs/protocol.md section 3). At most 256. Default 2.
    /// </summary>
    public ulong ReporterConfirmations { get; set; } = 2;

    /// <summary>
    /// <c>Aggregator:ReconnectGraceSeconds</c>: after this process starts, a round whose deadline has passed and that is
    /// still committable is closed without every reporter heard only once this grace has passed (reporters reconnect and
    /// resend; it ends early once every registered reporter has had a Connect stream open for a poll). 0 ..= 86400; 0
    /// turns it off. Default 10.
    /// </summary>
    public double ReconnectGraceSeconds { get; set; } = 10;

    /// <summary><c>Aggregator:AttestationTimeoutSeconds</c>: a proposal without <c>minReporters</c> attestations after this is abandoned. Default 60.</summary>
    public double AttestationTimeoutSeconds { get; set; } = 60;

    /// <summary><c>Aggregator:PollIntervalMilliseconds</c>: how often the round loop polls the head and the oracle. Default 1000.</summary>
    public int PollIntervalMilliseconds { get; set; } = 1000;

    /// <summary><c>Aggregator:Testing</c>: hooks for fault-injection tests only; never set them in production.</summary>
    public AggregatorTestingOptions Testing { get; set; } = new();

    private RoundLoopOptions ValidateRounds()
    {
        var id = string.IsNullOrWhiteSpace(Id) ? System.Net.Dns.GetHostName() : Id.Trim();
        if (id.Contains('/', StringComparison.Ordinal) || id.Any(char.IsControl))
        {
            throw new AggregatorConfigurationException("Aggregator:Id", $"may not contain '/' or control characters (it is part of proposal ids); got '{Id}'");
        }

        TransmitterKeySource? key = null;
        var hasKeystore = !string.IsNullOrWhiteSpace(Keystore);
        var hasKeyFile = !string.IsNullOrWhiteSpace(PrivateKeyFile);
        if (hasKeystore && hasKeyFile)
        {
            throw new AggregatorConfigurationException("Aggregator:PrivateKeyFile", "set either Aggregator:Keystore (with Aggregator:PasswordFile) or Aggregator:PrivateKeyFile, not both");
        }

        if (hasKeystore)
        {
            if (string.IsNullOrWhiteSpace(PasswordFile))
            {
                throw new AggregatorConfigurationException("Aggregator:PasswordFile", "is required with Aggregator:Keystore");
            }

            key = new TransmitterKeySource(Keystore, PasswordFile, null);
        }
        else if (!string.IsNullOrWhiteSpace(PasswordFile))
        {
            throw new AggregatorConfigurationException("Aggregator:PasswordFile", "is set but Aggregator:Keystore is not");
        }
        else if (hasKeyFile)
        {
            key = new TransmitterKeySource(null, null, PrivateKeyFile);
        }

        var closeAfter = Seconds("Aggregator:CloseAfterSeconds", CloseAfterSeconds);
        var attestationTimeout = Seconds("Aggregator:AttestationTimeoutSeconds", AttestationTimeoutSeconds);
        if (ReporterConfirmations > 256)
        {
            throw new AggregatorConfigurationException("Aggregator:ReporterConfirmations",
                $"must be at most 256 (the contract's blockhash horizon, like Reporter:Confirmations); got {ReporterConfirmations}");
        }

        if (ReconnectGraceSeconds is not (>= 0 and <= 86_400))
        {
            throw new AggregatorConfigurationException("Aggregator:ReconnectGraceSeconds",
                $"must be 0 ..= 86400 (0: no grace); got {ReconnectGraceSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        if (PollIntervalMilliseconds is < 10 or > 60_000)
        {
            throw new AggregatorConfigurationException("Aggregator:PollIntervalMilliseconds", $"must be 10 ..= 60000; got {PollIntervalMilliseconds}");
        }

        var crashAfter = string.IsNullOrWhiteSpace(Testing.CrashAfter) ? null : Testing.CrashAfter.Trim();
        if (crashAfter is not null && !AggregatorTestingOptions.CrashPoints.Contains(crashAfter))
        {
            throw new AggregatorConfigurationException("Aggregator:Testing:CrashAfter",
                $"must be one of {string.Join(", ", AggregatorTestingOptions.CrashPoints)}; got '{Testing.CrashAfter}'");
        }

        return new RoundLoopOptions(id, key, closeAfter, attestationTimeout, TimeSpan.FromMilliseconds(PollIntervalMilliseconds), crashAfter)
        {
            ReporterConfirmations = ReporterConfirmations,
            ReconnectGrace = TimeSpan.FromSeconds(ReconnectGraceSeconds),
        };
    }

    private static TimeSpan Seconds(string setting, double value) =>
        value is > 0 and <= 86_400
            ? TimeSpan.FromSeconds(value)
            : throw new AggregatorConfigurationException(setting, $"must be > 0 and at most 86400; got {value.ToString(CultureInfo.InvariantCulture)}");
}

/// <summary>
/// <c>Aggregator:Testing</c>: fault injection for the crash tests (tests/Aggregator.Tests/Rounds). A TEST HOOK: never
/// set in production.
/// </summary>
public sealed class AggregatorTestingOptions
{
    /// <summary>The event types <see cref="CrashAfter"/> accepts: the lifecycle steps of a round.</summary>
    public static IReadOnlyList<string> CrashPoints { get; } =
        ["round-opened.v1", "round-proposed.v1", "attestation-accepted.v1", "transmission-intended.v1", "round-confirmed.v1"];

    /// <summary>
    /// <c>Aggregator:Testing:CrashAfter</c>: an event type of <see cref="CrashPoints"/>; the process dies abruptly
    /// (<see cref="Environment.FailFast(string)"/>) right after the first such event is durably appended.
    /// </summary>
    public string CrashAfter { get; set; } = "";
}

/// <summary>Where the transaction key comes from: a keystore with its password file, or (development) a hex key file.</summary>
/// <param name="Keystore">The keystore V3 file, or null.</param>
/// <param name="PasswordFile">Its password file, or null.</param>
/// <param name="PrivateKeyFile">The hex key file, or null.</param>
public sealed record TransmitterKeySource(string? Keystore, string? PasswordFile, string? PrivateKeyFile);

/// <summary>The round loop's validated settings (the commit sender's fees and depth are <see cref="ValidatedTransmissionOptions"/>).</summary>
/// <param name="AggregatorId">The id in proposal ids.</param>
/// <param name="Key">The transaction key's source; null when the aggregator only serves intake.</param>
/// <param name="CloseAfter">Deadline after <c>B_r + ReporterConfirmations</c> is first seen.</param>
/// <param name="AttestationTimeout">Deadline for a proposal's quorum.</param>
/// <param name="PollInterval">Poll interval of the loop.</param>
/// <param name="CrashAfter">Test hook: the event type after which the process dies, or null.</param>
public sealed record RoundLoopOptions(string AggregatorId, TransmitterKeySource? Key, TimeSpan CloseAfter, TimeSpan AttestationTimeout,
    TimeSpan PollInterval, string? CrashAfter)
{
    /// <summary>The reporters' confirmations: the close window starts at <c>head >= B_r + ReporterConfirmations</c>.</summary>
    public ulong ReporterConfirmations { get; init; }

    /// <summary>After start, overdue rounds wait this long for reporters to reconnect before closing.</summary>
    public TimeSpan ReconnectGrace { get; init; }
}
