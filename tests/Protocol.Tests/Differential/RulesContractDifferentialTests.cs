using System.Globalization;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Rules.Engine;
using Xunit.Abstractions;

namespace SupplyOracle.Protocol.Tests.Differential;

/// <summary>
/// The differential test of issue 7: reports built by the C# rules engine (through the whole protocol layer: signed
/// batches, proposal, reporter re-verification, attestations) are committed to the real SupplyOracle on anvil, and
/// after every commit the stored state of every token equals the engine's prediction (status, factor, circulating,
/// committedAt, anchor, anchorAt, frozen), with no <c>Rejected</c> event. Token states are reached by real earlier
/// commits and time travel (<c>evm_increaseTime</c>), never by writing storage. One case = one token update in one
/// commit. Tokens the rules leave out (NoQuorum, TooSoon, and the commit policy's Unchanged and StillFrozen, section 5
/// step 12) must keep exactly their stored state. The contract's own EIP-712 digests (<c>reportDigest</c>, <c>observationBatchDigest</c>) are compared with
/// ours every round. Seed: env SUPPLY_ORACLE_DIFF_SEED (default fixed); case target: SUPPLY_ORACLE_DIFF_CASES.
/// </summary>
public sealed class RulesContractDifferentialTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Reporters = 10;
    private const int Tokens = 100;
    private const ulong RoundBlocks = 10;
    private OracleNetwork _network = null!;

    public async Task InitializeAsync() => _network = await OracleNetwork.StartAsync(new OracleNetworkOptions
    {
        Reporters = Reporters,
        Tokens = Tokens,
        Parameters = OracleNetworkOptions.DefaultParameters with { RoundBlocks = RoundBlocks },
    });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task Commit_RandomRounds_ContractStoresExactlyTheEnginePrediction()
    {
        var seed = int.Parse(Environment.GetEnvironmentVariable("SUPPLY_ORACLE_DIFF_SEED") ?? "7001", CultureInfo.InvariantCulture);
        var target = int.Parse(Environment.GetEnvironmentVariable("SUPPLY_ORACLE_DIFF_CASES") ?? "10000", CultureInfo.InvariantCulture);
        var rng = new Random(seed);
        var generator = new ScenarioGenerator(rng);
        var mismatches = new List<string>();
        var reasons = new Dictionary<OutcomeReason, int>();
        var clamps = new Dictionary<ClampsApplied, int>();
        int cases = 0, rounds = 0, empty = 0, digestsChecked = 0, firstCommits = 0;
        var parameters = _network.Options.Parameters;

        while (cases < target && rounds < 2_000)
        {
            if (rounds % 8 == 0)
            {
                parameters = generator.Parameters(Reporters, RoundBlocks);
                await _network.Oracle.SetParamsAsync(_network.Owner, parameters);
            }

            if (rounds % 10 == 9)
            {
                // Delisting erases a token's state; listing it again makes its next commit a first commit (step 7).
                foreach (var token in _network.Tokens.OrderBy(_ => rng.Next()).Take(3))
                {
                    await _network.Oracle.DelistTokenAsync(_network.Owner, token.Address);
                    await _network.Oracle.ListTokenAsync(_network.Owner, token.Address);
                }
            }

            var step = generator.TimeStep(parameters);
            if (step > 0)
            {
                await _network.Node.IncreaseTimeAsync(step);
            }

            var header = await _network.NextRoundAsync();
            var before = await _network.StateReader.ReadAsync(await _network.Client.BlockNumberAsync());
            var observations = generator.Observations(before.TokenStates, Reporters, parameters);
            var batches = new List<SignedBatch>();
            for (var r = 0; r < Reporters; r++)
            {
                if (observations[r].Count > 0)
                {
                    batches.Add(await _network.SignBatchAsync(r, header, observations[r]));
                }
            }

            rounds++;
            var run = await _network.RunRoundAsync(header, batches);
            foreach (var outcome in run?.Evaluation.Result.Outcomes ?? RoundEvaluatorOutcomes(before, header, batches))
            {
                reasons[outcome.Reason] = reasons.GetValueOrDefault(outcome.Reason) + 1;
                if (outcome.Reason == OutcomeReason.Commit && !before.TokenStates.Single(t => t.Token == outcome.Token).Initialized)
                {
                    firstCommits++;
                }

                clamps[outcome.Figures.Clamps] = clamps.GetValueOrDefault(outcome.Figures.Clamps) + 1;
            }

            if (run is null)
            {
                empty++;
                continue;
            }

            var receipt = run.Transaction.Receipt;
            var report = run.Evaluation.Report;
            cases += report.Updates.Count;

            // Events: one Committed with our digest and counts; no Rejected.
            var committed = receipt.Logs.Select(SupplyOracleContract.CommittedEvent.TryDecode).OfType<SupplyOracleContract.CommittedEvent>().ToArray();
            var rejected = receipt.Logs.Select(SupplyOracleContract.RejectedEvent.TryDecode).OfType<SupplyOracleContract.RejectedEvent>().ToArray();
            foreach (var e in rejected)
            {
                mismatches.Add($"round {header.Round}: Rejected({e.Token}, reason {e.Reason}) for {Describe(run.Evaluation.Result.Outcomes.Single(o => o.Token == e.Token))}");
            }

            var commits = report.Updates.Count(u => u.Status == UpdateStatus.Commit);
            if (committed.Length != 1 || committed[0].ReportDigest != run.Commit.ReportDigest || committed[0].Committed != commits
                || committed[0].Frozen != report.Updates.Count - commits || committed[0].Rejected != 0)
            {
                mismatches.Add($"round {header.Round}: Committed event {string.Join(",", committed.Select(c => $"({c.ReportDigest} {c.Committed}/{c.Frozen}/{c.Rejected})"))}, expected ({run.Commit.ReportDigest} {commits}/{report.Updates.Count - commits}/0)");
            }

            // One Frozen(token, round, status) per freeze, with the report's status byte.
            var frozenEvents = receipt.Logs.Select(SupplyOracleContract.FrozenEvent.TryDecode).OfType<SupplyOracleContract.FrozenEvent>()
                .Select(e => (e.Token, e.Round, Status: (UpdateStatus)e.Status)).Order().ToArray();
            var frozenExpected = report.Updates.Where(u => u.Status != UpdateStatus.Commit).Select(u => (u.Token, header.Round.Value, u.Status)).Order().ToArray();
            if (!frozenEvents.SequenceEqual(frozenExpected))
            {
                mismatches.Add($"round {header.Round}: Frozen events {string.Join(",", frozenEvents)}, expected {string.Join(",", frozenExpected)}");
            }

            // State: every token as predicted; tokens left out unchanged.
            var after = await _network.StateReader.ReadAsync(receipt.BlockHash);
            var beforeByToken = run.Snapshot.TokenStates.ToDictionary(s => s.Token);
            foreach (var actual in after.TokenStates)
            {
                var outcome = run.Evaluation.Result.Outcomes.Single(o => o.Token == actual.Token);
                var expected = outcome.NewState ?? beforeByToken[actual.Token];
                if (expected != actual)
                {
                    mismatches.Add($"round {header.Round} {Describe(outcome)}: expected {expected}, contract has {actual}");
                }
            }

            if (after.LastRound != header.Round.Value)
            {
                mismatches.Add($"round {header.Round}: lastRound is {after.LastRound}");
            }

            digestsChecked += await CompareDigestsAsync(header, run.Commit.Updates, batches, run.Commit.ReportDigest, mismatches);
            if (mismatches.Count > 20)
            {
                break;
            }
        }

        output.WriteLine($"seed {seed}: {cases} cases in {rounds} rounds ({empty} with nothing to propose), {digestsChecked} EIP-712 digests compared");
        output.WriteLine($"first commits: {firstCommits}");
        output.WriteLine("outcomes: " + string.Join(", ", reasons.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}")));
        output.WriteLine("clamps: " + string.Join(", ", clamps.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")));
        foreach (var m in mismatches.Take(20))
        {
            output.WriteLine(m);
        }

        Assert.Empty(mismatches);
        Assert.True(cases >= target, $"{cases} cases < {target}");
        // The generator must reach every branch, or the comparison proves little.
        foreach (var reason in new[]
                 {
                     OutcomeReason.Commit, OutcomeReason.FrozenDivergence, OutcomeReason.FrozenSupply, OutcomeReason.NoQuorum, OutcomeReason.TooSoon,
                     OutcomeReason.Unchanged, OutcomeReason.StillFrozen,
                 })
        {
            Assert.True(reasons.GetValueOrDefault(reason) > 0, $"no {reason} outcome");
        }

        Assert.True(firstCommits > Tokens, $"only {firstCommits} first commits");
        foreach (var flag in new[] { ClampsApplied.StepLow, ClampsApplied.StepHigh, ClampsApplied.WindowLow, ClampsApplied.WindowHigh, ClampsApplied.AnchorRolled })
        {
            Assert.True(clamps.Where(c => c.Key.HasFlag(flag)).Sum(c => c.Value) > 0, $"no {flag} clamp");
        }
    }

    private static IReadOnlyList<TokenOutcome> RoundEvaluatorOutcomes(Protocol.State.OracleSnapshot snapshot, ReportHeader header, IEnumerable<SignedBatch> batches) =>
        Protocol.Proposals.RoundEvaluator.Evaluate(snapshot, header, batches).Result.Outcomes;

    // The contract's EIP-712 digests (its own Solidity implementation) against ours, in one JSON-RPC batch.
    private async Task<int> CompareDigestsAsync(ReportHeader h, byte[] updates, IReadOnlyList<SignedBatch> batches, Hash32 reportDigest, List<string> mismatches)
    {
        var calls = new List<CallRequest> { _network.Oracle.ReportDigestCall(h.Round.Value, h.ReferenceBlock, h.ReferenceTime, h.ReferenceHash, updates) };
        calls.AddRange(batches.Select(b => _network.Oracle.ObservationBatchDigestCall(h.Round.Value, h.ReferenceBlock, h.ReferenceTime, h.ReferenceHash, b.ObservationBytes.ToArray())));
        var results = await _network.Client.CallBatchAsync(calls, BlockId.Latest);
        if (SupplyOracleContract.DecodeReportDigest(results[0].GetOrThrow()) != reportDigest)
        {
            mismatches.Add($"round {h.Round}: reportDigest differs");
        }

        for (var i = 0; i < batches.Count; i++)
        {
            if (SupplyOracleContract.DecodeObservationBatchDigest(results[i + 1].GetOrThrow()) != batches[i].Digest)
            {
                mismatches.Add($"round {h.Round}: observationBatchDigest of {batches[i].Reporter} differs");
            }
        }

        return results.Count;
    }

    private static string Describe(TokenOutcome o) =>
        $"{o.Token} {o.Reason} median {o.Figures.Median} target {o.Figures.Target} next {o.Figures.Next} clamps {o.Figures.Clamps} update {o.Update}";
}
