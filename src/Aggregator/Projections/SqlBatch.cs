using System.Text;
using Marten;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>
/// Queues the projection's SQL on Marten's unit of work (<see cref="IDocumentOperations.QueueSqlCommand(char, string, object[])"/>):
/// statements are written with PostgreSQL's positional parameters (<c>$1</c>, <c>$2</c>, a number may repeat) and
/// <c>{q}</c> for the query schema, and are translated to Marten's one-placeholder-per-value form here.
/// </summary>
internal sealed class SqlBatch(IDocumentOperations operations, QuerySchema schema)
{
    // Marten replaces each occurrence of the placeholder by the next parameter; '^' appears in none of the statements.
    private const char Placeholder = '^';

    public void Add(string sql, object?[] parameters)
    {
        var text = schema.Sql(sql);
        var builder = new StringBuilder(text.Length);
        var values = new List<object>(parameters.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                var end = i + 1;
                while (end < text.Length && char.IsAsciiDigit(text[end]))
                {
                    end++;
                }

                var index = int.Parse(text.AsSpan(i + 1, end - i - 1), System.Globalization.CultureInfo.InvariantCulture);
                values.Add(parameters[index - 1]!);
                builder.Append(Placeholder);
                i = end - 1;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        operations.QueueSqlCommand(Placeholder, builder.ToString(), [.. values]);
    }
}
