using System.Diagnostics;
using System.Globalization;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Proposals;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.State;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Benchmarks.Protocol;

/// <summary>
/// <c>./bench.sh protocol [tokens] [seconds]</c>: the reporter's per-proposal work (docs/protocol.md section 6) with the
/// largest reporter set: verify 31 evidence batches of TOKENS observations each (EIP-712 digest + signer recovery)
/// and re-run the rules; and the aggregator's per-batch verification on its own.
/// </summary>
public sealed class ProtocolBenchmark : IBenchmark
{
    private const int Reporters = 31;

    /// <inheritdoc />
    public string Name => "protocol";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var tokens = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var deployment = new OracleDeployment(1, Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"), Address.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"));
        var signers = Enumerable.Range(0, Reporters).Select(_ => new PrivateKeySigner(PrivateKey.Generate())).ToArray();
        var tokenAddresses = Enumerable.Range(0, tokens).Select(i => new Address(Keccak256.Hash(BitConverter.GetBytes(i)).ToArray()[..20])).Order().ToArray();
        var header = new ReportHeader(new RoundId(10), 3_000, 1_700_000_000, Keccak256.Hash([1]));
        var view = new SupplyOracleContract.TokenView(true, false, false, false, 18, 0, 0, 0, 0, 0);
        var snapshot = new OracleSnapshot(3_010, Keccak256.Hash([2]), 1_700_000_100,
            new SupplyOracleContract.Params(300, 21, 200, 3_600, 1_000, 86_400, 2_500, 86_400, 30 * 86_400, 256),
            [.. signers.Select(s => s.Address)], [.. tokenAddresses.Select(t => new ListedToken(t, view))], 9, false);
        var random = new Random(7);
        var batches = new List<SignedBatch>();
        foreach (var signer in signers)
        {
            var observations = tokenAddresses.Select(t => new TokenObservation(t, new TokenAmount(1_000_000UL), new Wad(500_000_000_000_000_000UL + (ulong)random.Next(0, 1_000_000)))).ToArray();
            batches.Add(await ObservationBatchSigner.SignAsync(signer, deployment, header, 300, observations, cancellationToken));
        }

        var proposal = ProposalBuilder.Build(RoundEvaluator.Evaluate(snapshot, header, batches), snapshot.BlockNumber, "p", "bench");
        var verifier = new ProposalVerifier(deployment);
        if (!verifier.Verify(proposal, snapshot).IsAccepted)
        {
            throw new InvalidOperationException("the benchmark proposal must verify");
        }

        var (proposals, proposalTime) = Repeat(seconds, cancellationToken, () => verifier.Verify(proposal, snapshot));
        var batchVerifier = new BatchVerifier(deployment);
        var expectations = snapshot.BatchExpectations(header);
        var messages = batches.Select(b => b.ToProto()).ToArray();
        var i = 0;
        var (verified, batchTime) = Repeat(seconds, cancellationToken, () => batchVerifier.Verify(messages[i++ % messages.Length], expectations));

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"protocol: proposal verification ({Reporters} batches x {tokens} tokens, signatures + rules): {proposalTime.TotalMilliseconds / proposals:F2} ms/proposal ({proposals} in {proposalTime.TotalSeconds:F1} s)"));
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"protocol: batch verification ({tokens} tokens): {batchTime.TotalMilliseconds * 1000 / verified:F1} us/batch, {verified / batchTime.TotalSeconds:F0} batches/s"));
        return 0;
    }

    private static (int Count, TimeSpan Elapsed) Repeat<T>(double seconds, CancellationToken cancellationToken, Func<T> action)
    {
        _ = action();
        var count = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed.TotalSeconds < seconds && !cancellationToken.IsCancellationRequested)
        {
            _ = action();
            count++;
        }

        return (count, stopwatch.Elapsed);
    }
}
