using Marten;
using Marten.Services;
using Npgsql;

namespace SupplyOracle.Aggregator.EventSourcing.Internal;

/// <summary>
/// Marten's command logging for the aggregator: a failed command is an error, except the optimistic-concurrency
/// conflicts the aggregator expects and handles (a round stream moved on: Marten's <c>MT003</c> version mismatch or a
/// unique violation <c>23505</c>; <see cref="EventConflicts"/> retries or reads the decision that won), which are Debug.
/// Successful commands and schema changes are Debug too (Marten's own logger writes them at Information).
/// </summary>
internal sealed class MartenCommandLog(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => Log.SchemaChange(logger, sql);

    public void LogSuccess(NpgsqlCommand command)
    {
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failure(ex, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failure(ex, string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));

    public void LogFailure(Exception ex, string message) => Failure(ex, message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

    private void Failure(Exception ex, string sql)
    {
        if (IsConflict(ex))
        {
            Log.CommandConflict(logger, ex.Message);
        }
        else
        {
            Log.CommandFailed(logger, ex, sql);
        }
    }

    /// <summary>True for the conflicts of an append with an expected version (the caller handles them).</summary>
    internal static bool IsConflict(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: "MT003" or PostgresErrorCodes.UniqueViolation } || EventConflicts.IsConflict(e))
            {
                return true;
            }
        }

        return false;
    }
}
