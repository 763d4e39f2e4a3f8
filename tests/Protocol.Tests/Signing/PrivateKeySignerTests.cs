using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.Tests.Support;

namespace SupplyOracle.Protocol.Tests.Signing;

public sealed class PrivateKeySignerTests
{
    [Fact]
    public async Task FromKeystore_Encrypted_SignsAsTheKey()
    {
        var key = PrivateKey.Generate();
        var json = KeystoreV3.Encrypt(key, "pw", KeystoreKdf.LightScrypt);
        var signer = PrivateKeySigner.FromKeystore(json, "pw");
        var digest = Keccak256.Hash([1, 2, 3]);

        var signature = await signer.SignDigestAsync(digest);

        Assert.Equal(key.Address, signer.Address);
        Assert.True(signature.IsLowS);
        Assert.Equal(key.Address, Ecdsa.Recover(digest, signature));
        Assert.DoesNotContain(Hex.Encode(key.ExportBytes())[2..], signer.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void FromKeystore_WrongPassword_ThrowsTyped()
    {
        var json = KeystoreV3.Encrypt(PrivateKey.Generate(), "pw", KeystoreKdf.LightScrypt);
        Assert.Throws<KeystoreException>(() => PrivateKeySigner.FromKeystore(json, "nope"));
    }

    [Fact]
    public async Task SignAsync_SignerReturnsForeignSignature_ThrowsSignerException()
    {
        var e = await Assert.ThrowsAsync<SignerException>(() =>
            ObservationBatchSigner.SignAsync(new LyingSigner(), Keys.Deployment, Keys.Header(1), 10, [Keys.Observation(1)]));
        Assert.Equal(new LyingSigner().Address, e.Signer);
    }

    private sealed class LyingSigner : ISigner
    {
        private static readonly PrivateKey s_other = PrivateKey.Generate();

        public Address Address { get; } = Address.Parse("0x00000000000000000000000000000000000000aa");

        public Task<Signature> SignDigestAsync(Hash32 digest, CancellationToken cancellationToken = default) => Task.FromResult(s_other.Sign(digest));
    }
}
