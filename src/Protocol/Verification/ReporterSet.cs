using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Protocol.Verification;

/// <summary>
/// The registered reporter set (read from <c>SupplyOracle.reporters()</c> at one block): the only signers whose
/// observation batches and attestations count (docs/protocol.md sections 5 and 6). Immutable, addresses ascending.
/// </summary>
public sealed class ReporterSet
{
    private readonly HashSet<Address> _set;

    /// <summary>Creates a set; throws <see cref="ArgumentException"/> for a zero or duplicate address.</summary>
    public ReporterSet(IEnumerable<Address> reporters)
    {
        ArgumentNullException.ThrowIfNull(reporters);
        _set = [];
        foreach (var reporter in reporters)
        {
            if (reporter.IsZero)
            {
                throw new ArgumentException("the zero address cannot be a reporter", nameof(reporters));
            }

            if (!_set.Add(reporter))
            {
                throw new ArgumentException($"reporter {reporter} is listed twice", nameof(reporters));
            }
        }

        Addresses = [.. _set.Order()];
    }

    /// <summary>The reporters, ascending.</summary>
    public IReadOnlyList<Address> Addresses { get; }

    /// <summary>How many reporters.</summary>
    public int Count => Addresses.Count;

    /// <summary>True when <paramref name="address"/> is registered.</summary>
    public bool Contains(Address address) => _set.Contains(address);
}
