using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Crypto;
using SupplyOracle.Contracts.Bindings.Tests.Support;
using SupplyOracle.Contracts.Bindings.Transactions;

namespace SupplyOracle.Contracts.Bindings.Tests.Transactions;

public sealed class TransactionTests
{
    [Fact]
    public void Sign_RandomTransactions_EqualsEthersSerializedAndHash()
    {
        var random = new Random(1559);
        var key = SignatureTests.RandomKey(random);
        var txs = Enumerable.Range(0, 100).Select(_ => RandomTransaction(random, withAccessList: true)).ToList();
        var input = new JsonObject
        {
            ["kind"] = "tx",
            ["cases"] = new JsonArray([.. txs.Select(t => (JsonNode)new JsonObject { ["privateKey"] = Hex.Encode(key.ExportBytes()), ["tx"] = ToEthers(t) })]),
        };
        var ethers = JsonDocument.Parse(Tools.Ethers(input.ToJsonString())).RootElement;
        for (var i = 0; i < txs.Count; i++)
        {
            var signed = txs[i].Sign(key);
            Assert.Equal(ethers[i].GetProperty("unsignedHash").GetString(), txs[i].SigningHash.ToString());
            Assert.Equal(ethers[i].GetProperty("raw").GetString(), Hex.Encode(signed.Raw));
            Assert.Equal(ethers[i].GetProperty("hash").GetString(), signed.Hash.ToString());
            var decoded = SignedTransaction.Decode(signed.Raw);
            Assert.Equal(key.Address, decoded.From);
            Assert.Equal(signed.Hash, decoded.Hash);
        }
    }

    [Fact]
    public void Sign_RandomTransactions_EqualsCastMktx()
    {
        var random = new Random(155);
        var key = SignatureTests.RandomKey(random);
        var txs = Enumerable.Range(0, 24).Select(_ => RandomTransaction(random, withAccessList: false)).Where(t => t.To is not null).ToList();
        var cast = Tools.CastMany([.. txs.Select(t => CastArguments(t, key))]);
        for (var i = 0; i < txs.Count; i++)
        {
            Assert.Equal(cast[i], Hex.Encode(txs[i].Sign(key).Raw));
        }
    }

    [Fact]
    public void Decode_HighSOrTamperedOrTrailing_ThrowsSpecificException()
    {
        var key = PrivateKey.Parse(SupplyOracle.TestSupport.AnvilNode.DevAccounts[0].PrivateKey);
        var tx = new Eip1559Transaction(1, 0, Wei.FromGwei(1), Wei.FromGwei(2), 21000, key.Address, Wei.Zero, Array.Empty<byte>());
        var signed = tx.Sign(key);
        Assert.Throws<FormatException>(() => SignedTransaction.Decode([.. signed.Raw, 0]));
        Assert.Throws<FormatException>(() => SignedTransaction.Decode([0x05, .. signed.Raw[1..]]));

        // The same transaction with s replaced by n - s and the parity flipped: a valid but malleated signature (EIP-2).
        var n = BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var s = new BigInteger(signed.Signature.S.ToArray(), true, true);
        var original = (Nethereum.Model.Transaction1559)Nethereum.Model.TransactionFactory.CreateTransaction(signed.Raw);
        var malleated = new Nethereum.Model.Transaction1559(original.ChainId, original.Nonce!.Value, original.MaxPriorityFeePerGas!.Value,
            original.MaxFeePerGas!.Value, original.GasLimit!.Value, original.ReceiverAddress, original.Amount!.Value, original.Data, original.AccessList,
            new Nethereum.Model.Signature(signed.Signature.R.ToArray(), (n - s).ToByteArray(isUnsigned: true, isBigEndian: true),
                signed.Signature.RecoveryId == 0 ? [1] : []));
        var highS = malleated.GetRLPEncoded();
        Assert.Equal(InvalidSignatureReason.HighS, Assert.Throws<InvalidSignatureException>(() => SignedTransaction.Decode(highS)).Reason);
    }

    internal static Eip1559Transaction RandomTransaction(Random random, bool withAccessList)
    {
        var chainId = (ulong)random.Next(1, 100_000);
        var nonce = (ulong)random.NextInt64(0, 1L << 40);
        var gas = (ulong)random.Next(21_000, 10_000_000);
        Address? to = random.Next(8) == 0 ? null : TypedDataGenerators.RandomAddress(random);
        var value = new Wei(TypedDataGenerators.RandomBits(random, random.Next(0, 100)));
        var data = new byte[random.Next(0, 100)];
        random.NextBytes(data);
        var maxFee = TypedDataGenerators.RandomBits(random, random.Next(0, 60));
        var tip = maxFee.IsZero ? BigInteger.Zero : TypedDataGenerators.RandomBits(random, (int)maxFee.GetBitLength()) % (maxFee + 1);
        var accessList = withAccessList && random.Next(2) == 0
            ? Enumerable.Range(0, random.Next(1, 3)).Select(_ => new AccessListEntry(TypedDataGenerators.RandomAddress(random),
                [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => SignatureTests.RandomHash(random))])).ToList()
            : null;
        return new Eip1559Transaction(chainId, nonce, new Wei(tip), new Wei(maxFee), gas, to, value, data, accessList);
    }

    private static JsonObject ToEthers(Eip1559Transaction tx)
    {
        static string D(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);
        var json = new JsonObject
        {
            ["chainId"] = D(tx.ChainId), ["nonce"] = (long)tx.Nonce, ["gasLimit"] = D(tx.GasLimit), ["to"] = tx.To?.ToString(),
        };
        switch (tx)
        {
            case Eip1559Transaction t:
                json["type"] = 2;
                json["maxPriorityFeePerGas"] = D(t.MaxPriorityFeePerGas.Value);
                json["maxFeePerGas"] = D(t.MaxFeePerGas.Value);
                json["value"] = D(t.Value.Value);
                json["data"] = Hex.Encode(t.Data.Span);
                json["accessList"] = new JsonArray([.. (t.AccessList ?? []).Select(e => (JsonNode)new JsonObject
                {
                    ["address"] = e.Address.ToString(),
                    ["storageKeys"] = new JsonArray([.. e.StorageKeys.Select(k => (JsonNode)JsonValue.Create(k.ToString()))]),
                })]);
                break;
        }

        return json;
    }

    private static string[] CastArguments(Eip1559Transaction tx, PrivateKey key)
    {
        static string D(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);
        List<string> args = ["mktx", "--private-key", Hex.Encode(key.ExportBytes()), "--chain", D(tx.ChainId), "--nonce", D(tx.Nonce), "--gas-limit", D(tx.GasLimit)];
        switch (tx)
        {
            case Eip1559Transaction t:
                args.AddRange(["--gas-price", D(t.MaxFeePerGas.Value), "--priority-gas-price", D(t.MaxPriorityFeePerGas.Value), "--value", D(t.Value.Value),
                    t.To!.Value.ToString(), Hex.Encode(t.Data.Span)]);
                break;
        }

        return [.. args];
    }
}
