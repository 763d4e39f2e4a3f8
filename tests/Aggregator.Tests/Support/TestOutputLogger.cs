using System.Globalization;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>
/// Writes log entries to the test's output (shown with a failed test): a server in the test process then explains a
/// failure that the client side only sees as a closed stream.
/// </summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // the test has finished: a late entry from a host still stopping has nowhere to go
            }
        }
    }
}
