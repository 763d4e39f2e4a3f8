using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Tests.Configuration;

/// <summary>The round loop's settings: validated at start, each error naming its setting; the transaction key loaded from files.</summary>
public sealed class AggregatorOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aggregator-options").FullName;

    [Fact]
    public void Validate_Defaults_RoundLoopOffWithDocumentedValues()
    {
        var rounds = Valid().Validate().Rounds;

        Assert.Null(rounds.Key);
        Assert.Equal(System.Net.Dns.GetHostName(), rounds.AggregatorId);
        Assert.Equal(TimeSpan.FromSeconds(30), rounds.CloseAfter);
        Assert.Equal(TimeSpan.FromSeconds(60), rounds.AttestationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), rounds.PollInterval);
        Assert.Null(rounds.CrashAfter);
    }

    [Theory]
    [InlineData("Aggregator:Id")]
    [InlineData("Aggregator:PasswordFile")]
    [InlineData("Aggregator:PrivateKeyFile")]
    [InlineData("Aggregator:CloseAfterSeconds")]
    [InlineData("Aggregator:AttestationTimeoutSeconds")]
    [InlineData("Aggregator:PollIntervalMilliseconds")]
    [InlineData("Aggregator:ReporterConfirmations")]
    [InlineData("Aggregator:ReconnectGraceSeconds")]
    [InlineData("Aggregator:Testing:CrashAfter")]
    public void Validate_BadSetting_ExceptionNamesIt(string setting)
    {
        var options = Valid();
        switch (setting)
        {
            case "Aggregator:Id": options.Id = "a/b"; break;
            case "Aggregator:PasswordFile": options.Keystore = "k.json"; break;
            case "Aggregator:PrivateKeyFile": options.Keystore = "k.json"; options.PasswordFile = "p"; options.PrivateKeyFile = "key"; break;
            case "Aggregator:CloseAfterSeconds": options.CloseAfterSeconds = 0; break;
            case "Aggregator:AttestationTimeoutSeconds": options.AttestationTimeoutSeconds = double.NaN; break;
            case "Aggregator:PollIntervalMilliseconds": options.PollIntervalMilliseconds = 1; break;
            case "Aggregator:ReporterConfirmations": options.ReporterConfirmations = 257; break;
            case "Aggregator:ReconnectGraceSeconds": options.ReconnectGraceSeconds = -1; break;
            default: options.Testing.CrashAfter = "observation-accepted.v1"; break;
        }

        var error = Assert.Throws<AggregatorConfigurationException>(() => options.Validate());

        Assert.Equal(setting, error.Setting);
        Assert.StartsWith(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RoundTimingSettings_CarriedToTheRoundLoop()
    {
        var options = Valid();
        options.ReporterConfirmations = 5;
        options.ReconnectGraceSeconds = 0.5;

        var rounds = options.Validate().Rounds;

        Assert.Equal(5UL, rounds.ReporterConfirmations);
        Assert.Equal(TimeSpan.FromMilliseconds(500), rounds.ReconnectGrace);
        Assert.Equal(2UL, new AggregatorOptions().ReporterConfirmations);
        Assert.Equal(10, new AggregatorOptions().ReconnectGraceSeconds);
    }

    [Fact]
    public void Load_KeystoreWithPasswordFile_DecryptsTheKey()
    {
        var key = PrivateKey.Generate();
        var keystore = Write("key.json", KeystoreV3.Encrypt(key, "correct horse", KeystoreKdf.LightScrypt));
        var password = Write("password", "correct horse\n");
        var options = Valid();
        options.Keystore = keystore;
        options.PasswordFile = password;

        var loaded = TransmitterKeyLoader.Load(options.Validate().Rounds.Key!);

        Assert.Equal(key.Address, loaded.Address);
    }

    [Fact]
    public void Load_WrongPassword_NamesKeystoreNeverThePassword()
    {
        var keystore = Write("key.json", KeystoreV3.Encrypt(PrivateKey.Generate(), "correct horse", KeystoreKdf.LightScrypt));
        var source = new TransmitterKeySource(keystore, Write("password", "battery staple"), null);

        var error = Assert.Throws<AggregatorConfigurationException>(() => TransmitterKeyLoader.Load(source));

        Assert.Equal("Aggregator:Keystore", error.Setting);
        Assert.DoesNotContain("battery", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x1234", "Aggregator:PrivateKeyFile")]
    [InlineData(null, "Aggregator:PrivateKeyFile")]
    public void Load_BadOrMissingKeyFile_NamesTheSetting(string? content, string setting)
    {
        var path = content is null ? Path.Combine(_directory, "missing") : Write("key", content);

        var error = Assert.Throws<AggregatorConfigurationException>(() => TransmitterKeyLoader.Load(new TransmitterKeySource(null, null, path)));

        Assert.Equal(setting, error.Setting);
    }

    [Fact]
    public void Load_HexKeyFile_ParsesTheKey()
    {
        var key = PrivateKey.Generate();
        var path = Write("key", Hex.Encode(key.ExportBytes()) + "\n");

        Assert.Equal(key.Address, TransmitterKeyLoader.Load(new TransmitterKeySource(null, null, path)).Address);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static AggregatorOptions Valid() => new()
    {
        ChainId = 31337,
        Oracle = "0x00000000000000000000000000000000000000aa",
        Registry = "0x00000000000000000000000000000000000000bb",
        RpcUrl = "http://127.0.0.1:8545",
        Database = "Host=127.0.0.1",
    };
}
