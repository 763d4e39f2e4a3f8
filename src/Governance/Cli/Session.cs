using System.CommandLine;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Governance.Output;

namespace SupplyOracle.Governance.Cli;

/// <summary>One command invocation: its parsed options, the node, the contracts and the output.</summary>
internal sealed partial class Session
{
    private readonly ParseResult _parse;
    private readonly GlobalOptions _globals;
    private readonly CliEnvironment _environment;
    private EthereumRpcClient? _client;
    private SupplyOracleContract? _oracle;
    private ExcludedAddressRegistryContract? _registry;
    private PrivateKey? _key;
    private bool _keyLoaded;

    public Session(ParseResult parse, GlobalOptions globals, CliEnvironment environment, TextReader input, TextWriter output, TextWriter error)
    {
        _parse = parse;
        _globals = globals;
        _environment = environment;
        Input = input;
        Error = error;
        Printer = new Printer(output, parse.GetValue(globals.Json), parse.GetValue(globals.Raw));
    }

    public TextReader Input { get; }

    public TextWriter Error { get; }

    public Printer Printer { get; }

    public bool Json => Printer.Json;

    public bool Yes => _parse.GetValue(_globals.Yes);

    public bool CalldataOnly => _parse.GetValue(_globals.CalldataOnly);

    public TimeProvider Time => _environment.Time;

    public T? Value<T>(Option<T> option) => _parse.GetValue(option);

    /// <summary>The JSON-RPC client of <c>--rpc</c> (or SUPPLYORACLE_RPC).</summary>
    public EthereumRpcClient Client
    {
        get
        {
            if (_client is not null)
            {
                return _client;
            }

            var text = _parse.GetValue(_globals.Rpc) ?? _environment.GetVariable(GlobalOptions.RpcVariable);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new CliInputException("--rpc", $"required: the JSON-RPC endpoint (or set {GlobalOptions.RpcVariable})");
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliInputException("--rpc", $"'{text}' is not an http(s) URL");
            }

            return _client = new EthereumRpcClient(new RpcEndpointClient(uri, _environment.HttpHandler, _environment.Time));
        }
    }

    /// <summary>The SupplyOracle of <c>--oracle</c> (or SUPPLYORACLE_ORACLE).</summary>
    public SupplyOracleContract Oracle =>
        _oracle ??= new SupplyOracleContract(Client, RequiredAddress(_globals.Oracle, GlobalOptions.OracleVariable, "the SupplyOracle address"));

    /// <summary>Whether an oracle address was given.</summary>
    public bool HasOracle => (_parse.GetValue(_globals.Oracle) ?? _environment.GetVariable(GlobalOptions.OracleVariable)) is not null;

    /// <summary>The registry of <c>--registry</c> (or SUPPLYORACLE_REGISTRY), else the one the oracle reads.</summary>
    public async Task<ExcludedAddressRegistryContract> RegistryAsync(CancellationToken cancellationToken)
    {
        if (_registry is not null)
        {
            return _registry;
        }

        var text = _parse.GetValue(_globals.Registry) ?? _environment.GetVariable(GlobalOptions.RegistryVariable);
        Address address;
        if (text is not null)
        {
            address = ParseAddress("--registry", text);
        }
        else if (HasOracle)
        {
            address = await Oracle.RegistryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new CliInputException("--registry", $"required: the ExcludedAddressRegistry address (or set {GlobalOptions.RegistryVariable}, or give --oracle)");
        }

        return _registry = new ExcludedAddressRegistryContract(Client, address);
    }

    /// <summary>
    /// Checks that the SupplyOracle and the registry given (options or environment) are those contracts before a
    /// command uses them (<see cref="DeploymentContracts"/>); throws <see cref="ContractMismatchException"/> naming the
    /// option or variable otherwise. Nothing is read when neither is given. A node that cannot be reached is left to
    /// the command, which reports it after its own input checks (a bad key is still exit 2 with the node down).
    /// </summary>
    public async Task VerifyContractsAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (HasOracle)
            {
                var setting = _parse.GetValue(_globals.Oracle) is not null ? "--oracle" : GlobalOptions.OracleVariable;
                var oracle = Oracle.Address;
                var chainId = await Client.ChainIdAsync(cancellationToken).ConfigureAwait(false);
                await DeploymentContracts.VerifyOracleAsync(Client, oracle, chainId, setting, cancellationToken).ConfigureAwait(false);
            }

            var registry = _parse.GetValue(_globals.Registry);
            if ((registry ?? _environment.GetVariable(GlobalOptions.RegistryVariable)) is not null)
            {
                var setting = registry is not null ? "--registry" : GlobalOptions.RegistryVariable;
                var address = (await RegistryAsync(cancellationToken).ConfigureAwait(false)).Address;
                await DeploymentContracts.VerifyRegistryAsync(Client, address, setting, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is JsonRpcTransportException or HttpRequestException or TaskCanceledException)
        {
            // the node is down: the command meets the same failure where it first needs the node
        }
    }

    /// <summary>The sending key, or null when none was given (simulation and --calldata-only need none).</summary>
    public PrivateKey? Key
    {
        get
        {
            if (!_keyLoaded)
            {
                _key = LoadKey();
                _keyLoaded = true;
            }

            return _key;
        }
    }

    /// <summary>The address simulations run as: the key's, else <c>--from</c>.</summary>
    public Address? SimulationSender
    {
        get
        {
            if (Key is { } key)
            {
                return key.Address;
            }

            var from = _parse.GetValue(_globals.From);
            return from is null ? null : ParseAddress("--from", from);
        }
    }

    /// <summary>A transaction sender for the key (throws bad input when there is no key).</summary>
    public TransactionSender Sender()
    {
        var key = Key ?? throw new CliInputException("--keystore",
            "a key is needed to send: give --keystore (with --password-file or SUPPLYORACLE_KEYSTORE_PASSWORD) or --private-key-env, or use --calldata-only");
        var options = new SenderOptions
        {
            MaxFeePerGasCeiling = Wei.FromGwei(_parse.GetValue(_globals.MaxFeeGwei)),
            ConfirmationDepth = _parse.GetValue(_globals.Confirmations),
            PollInterval = TimeSpan.FromMilliseconds(250),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new CliInputException("--max-fee-gwei/--confirmations", ex.Message);
        }

        return new TransactionSender(Client, key, options, _environment.Time);
    }

    /// <summary>The latest block (its number and timestamp anchor every read and every "time left").</summary>
    public async Task<Block> LatestBlockAsync(CancellationToken cancellationToken) =>
        await Client.GetBlockAsync(BlockId.Latest, cancellationToken).ConfigureAwait(false)
        ?? throw new CommandFailedException("rpc", "node error: the latest block is missing");

    /// <summary>Prints an error (as JSON with --json) and returns <paramref name="exitCode"/>.</summary>
    public async Task<int> FailAsync(int exitCode, string error, string message)
    {
        if (Json)
        {
            await Printer.WriteJsonAsync(new JsonObject { ["error"] = error, ["message"] = message }).ConfigureAwait(false);
        }

        await Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        return exitCode;
    }

    private Address RequiredAddress(Option<string?> option, string variable, string what)
    {
        var text = _parse.GetValue(option) ?? _environment.GetVariable(variable);
        return text is null
            ? throw new CliInputException(option.Name, $"required: {what} (or set {variable})")
            : ParseAddress(option.Name, text);
    }

    private PrivateKey? LoadKey()
    {
        var keystore = _parse.GetValue(_globals.Keystore);
        var keyEnv = _parse.GetValue(_globals.PrivateKeyEnv);
        if (keystore is not null && keyEnv is not null)
        {
            throw new CliInputException("--keystore", "give either --keystore or --private-key-env, not both");
        }

        if (keyEnv is not null)
        {
            var hex = _environment.GetVariable(keyEnv);
            if (string.IsNullOrWhiteSpace(hex))
            {
                throw new CliInputException("--private-key-env", $"environment variable {keyEnv} is not set");
            }

            try
            {
                return PrivateKey.Parse(hex.Trim());
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                // Never echo the variable's content: it is a secret.
                throw new CliInputException("--private-key-env", $"{keyEnv} does not hold a 32-byte hex private key");
            }
        }

        return keystore is null ? null : KeystoreV3.Decrypt(ReadFile("--keystore", keystore), KeystorePassword());
    }

    private string KeystorePassword()
    {
        var file = _parse.GetValue(_globals.PasswordFile);
        if (file is not null)
        {
            // A password file conventionally ends with a newline that is not part of the password.
            return ReadFile("--password-file", file).TrimEnd('\r', '\n');
        }

        return _environment.GetVariable(GlobalOptions.PasswordVariable)
            ?? throw new CliInputException("--password-file", $"the keystore needs a password: give --password-file or set {GlobalOptions.PasswordVariable}");
    }
}
