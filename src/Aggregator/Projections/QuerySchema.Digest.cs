using System.Globalization;
using System.Text;
using Npgsql;

namespace SupplyOracle.Aggregator.Projections;

public sealed partial class QuerySchema
{
    /// <summary>
    /// A digest of every row of the projection's tables (<c>table:rows:md5;...</c>, rows in text order), so the live state
    /// and a rebuild from the events can be compared exactly.
    /// </summary>
    public async Task<string> DigestAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var digest = new StringBuilder();
        foreach (var table in Tables)
        {
            var command = dataSource.CreateCommand($"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {table} t");
            await using var commandScope = command.ConfigureAwait(false);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            digest.Append(CultureInfo.InvariantCulture, $"{table}:{reader.GetInt64(0)}:{reader.GetString(1)};");
        }

        return digest.ToString();
    }
}
