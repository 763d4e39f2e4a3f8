using System.Text;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Abi;

/// <summary>An event of a contract ABI; decodes logs (Solidity ABI specification, "Events").</summary>
/// <param name="Name">The name.</param>
/// <param name="Inputs">The parameters, some indexed.</param>
/// <param name="Anonymous">True when the event has no signature topic.</param>
public sealed record AbiEvent(string Name, IReadOnlyList<AbiParameter> Inputs, bool Anonymous = false)
{
    /// <summary>The canonical signature.</summary>
    public string Signature => AbiSignatures.Of(Name, Inputs);

    /// <summary>topic[0]: keccak256 of the signature.</summary>
    public Hash32 Topic0 => Keccak256.Hash(Encoding.ASCII.GetBytes(Signature));

    /// <summary>
    /// Decodes a log's topics and data into the values in parameter order. An indexed parameter of a dynamic type
    /// (string, bytes, array, tuple) is stored as its keccak256 and comes back as that <see cref="Hash32"/>.
    /// </summary>
    /// <exception cref="AbiException">the topic count, topic 0 or the data do not match this event.</exception>
    public IReadOnlyList<object> DecodeLog(IReadOnlyList<Hash32> topics, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var indexed = Inputs.Where(i => i.Indexed).ToList();
        var expectedTopics = indexed.Count + (Anonymous ? 0 : 1);
        if (topics.Count != expectedTopics)
        {
            throw new AbiException(Signature, -1, $"expected {expectedTopics} topics, got {topics.Count}");
        }

        if (!Anonymous && topics[0] != Topic0)
        {
            throw new AbiException(Signature, -1, $"topic 0 {topics[0]} is not this event's {Topic0}");
        }

        var nonIndexed = AbiDecoder.Decode([.. Inputs.Where(i => !i.Indexed).Select(i => i.Type)], data);
        var values = new object[Inputs.Count];
        int t = Anonymous ? 0 : 1, d = 0;
        Span<byte> word = stackalloc byte[32];
        for (var i = 0; i < Inputs.Count; i++)
        {
            if (Inputs[i].Indexed)
            {
                var topic = topics[t++];
                if (Inputs[i].Type.IsDynamic || Inputs[i].Type is AbiArrayType or AbiTupleType)
                {
                    values[i] = topic;
                }
                else
                {
                    topic.CopyTo(word);
                    values[i] = AbiDecoder.DecodeWord(Inputs[i].Type, word, 0);
                }
            }
            else
            {
                values[i] = nonIndexed[d++];
            }
        }

        return values;
    }
}
