using Npgsql;

namespace SupplyOracle.EventStore.Projections;

/// <summary>The transaction a projection writes in: the append's (inline) or the one that also moves its checkpoint.</summary>
public sealed class ProjectionContext
{
    internal ProjectionContext(NpgsqlTransaction transaction)
    {
        Transaction = transaction;
        Connection = transaction.Connection!;
    }

    /// <summary>The open connection.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The transaction every write must join.</summary>
    public NpgsqlTransaction Transaction { get; }

    /// <summary>A command bound to the connection and transaction.</summary>
    public NpgsqlCommand CreateCommand(string sql) => new(sql, Connection, Transaction);

    /// <summary>A batch bound to the connection and transaction (one round trip for many statements).</summary>
    public NpgsqlBatch CreateBatch() => new(Connection, Transaction);
}
