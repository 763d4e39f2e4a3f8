using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using SupplyOracle.Reporter.Supply;

namespace SupplyOracle.Reporter.FreeFloat;

/// <summary>Settings of one HTTP JSON free-float source.</summary>
/// <param name="Url">The URL (GET).</param>
/// <param name="ValuePath">Dotted path of the value field (<c>data.freeFloat</c>, <c>items.0.value</c>): a non-negative integer in native units, as a JSON number or string.</param>
/// <param name="TimestampPath">Dotted path of the answer's as-of time (unix seconds), or null to skip the staleness check.</param>
/// <param name="Timeout">Timeout of one attempt.</param>
/// <param name="Retries">Retries after a failed attempt (timeouts and network/5xx errors; malformed answers are not retried).</param>
/// <param name="MaxAge">How old the answer's timestamp may be relative to the round's reference time.</param>
public sealed record HttpJsonSourceSettings(Uri Url, string ValuePath, string? TimestampPath, TimeSpan Timeout, int Retries, TimeSpan MaxAge);

/// <summary>
/// An HTTP JSON feed: GET with a per-attempt timeout and retries (Polly), then the selected field. An answer older than
/// <see cref="HttpJsonSourceSettings.MaxAge"/> before the round's reference time is rejected as stale.
/// </summary>
public sealed class HttpJsonSource : IFreeFloatSource
{
    private readonly HttpClient _http;
    private readonly HttpJsonSourceSettings _settings;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates the source.</summary>
    public HttpJsonSource(string name, HttpClient http, HttpJsonSourceSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(settings);
        Name = name;
        _http = http;
        _settings = settings;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System };
        if (settings.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.Retries,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
            });
        }
        _pipeline = builder.AddTimeout(settings.Timeout).Build();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<BigInteger> GetAsync(TokenSupply supply, PinnedBlock block, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await _pipeline.ExecuteAsync(async ct =>
            {
                using var response = await _http.GetAsync(_settings.Url, ct).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new FreeFloatSourceException(Name, FreeFloatFailure.Timeout, $"no answer within {_settings.Timeout.TotalSeconds:0.###} s after {_settings.Retries + 1} attempts", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new FreeFloatSourceException(Name, FreeFloatFailure.Unavailable, $"request failed after {_settings.Retries + 1} attempts: {ex.StatusCode?.ToString() ?? ex.HttpRequestError.ToString()}", ex);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new FreeFloatSourceException(Name, FreeFloatFailure.Malformed, "the answer is not JSON", ex);
        }
        using (document)
        {
            if (_settings.TimestampPath is { } tsPath)
            {
                var ts = Integer(Select(document.RootElement, tsPath), tsPath);
                var age = (BigInteger)block.Timestamp - ts;
                if (age > (BigInteger)_settings.MaxAge.TotalSeconds)
                {
                    throw new FreeFloatSourceException(Name, FreeFloatFailure.Stale, $"answer as of {ts} is {age} s older than the reference time {block.Timestamp} (max {_settings.MaxAge.TotalSeconds:0} s)");
                }
            }
            return Integer(Select(document.RootElement, _settings.ValuePath), _settings.ValuePath);
        }
    }

    private JsonElement Select(JsonElement root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(part, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                throw new FreeFloatSourceException(Name, FreeFloatFailure.Malformed, $"the answer has no field '{path}' (stopped at '{part}')");
            }
        }
        return current;
    }

    private BigInteger Integer(JsonElement value, string path)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new FreeFloatSourceException(Name, FreeFloatFailure.Malformed, $"field '{path}' is {value.ValueKind}, not an integer"),
        };
        return BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new FreeFloatSourceException(Name, FreeFloatFailure.Malformed, $"field '{path}' is not a non-negative integer");
    }
}
