using Marten;
using Marten.Services;

namespace SupplyOracle.Aggregator.Hosting.Internal;

/// <summary>
/// TEST HOOK for <c>Aggregator:Testing:CrashAfter</c> (fault-injection tests only): a Marten session listener that kills
/// the process abruptly with <see cref="Environment.FailFast(string)"/> right after a commit holding an event of the named
/// type, so a test can restart the aggregator at exactly that lifecycle step.
/// </summary>
internal sealed class CrashAfterAppendStore(string eventType, Action<string, string> beforeCrash) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var e in commit.GetEvents())
        {
            if (e.EventTypeName == eventType)
            {
                var stream = e.StreamKey ?? e.StreamId.ToString();
                beforeCrash(eventType, stream);
                Environment.FailFast($"TEST HOOK Aggregator:Testing:CrashAfter={eventType}: dying after an append to {stream}");
            }
        }

        return Task.CompletedTask;
    }
}
