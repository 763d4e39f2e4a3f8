using System.CommandLine;
using System.Globalization;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Reporter.Journal;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Reporter.Cli;

/// <summary>
/// Hidden <c>journal-exercise --journal FILE --rounds N --variant V</c>: signs synthetic batches for rounds 1..N through
/// the signing journal, exactly as the node does, and prints <c>round digest new|journaled</c> after each durable
/// write. It exists so the crash test can SIGKILL a real process in the middle of journal writes; it touches no
/// chain and no network, and its random key never leaves the process.
/// </summary>
internal static class JournalExerciseCommand
{
    public static Command Create()
    {
        var journal = new Option<string>("--journal") { Description = "journal file", Required = true };
        var rounds = new Option<ulong>("--rounds") { Description = "rounds to sign", DefaultValueFactory = _ => 200 };
        var variant = new Option<ulong>("--variant") { Description = "changes every batch's content", DefaultValueFactory = _ => 1 };
        var command = new Command("journal-exercise", "Crash-test aid: sign synthetic batches through the journal") { journal, rounds, variant };
        command.Hidden = true;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var signer = new PrivateKeySigner(PrivateKey.Generate());
            var deployment = new OracleDeployment(31337, Address.Parse("0x0000000000000000000000000000000000000001"), Address.Parse("0x0000000000000000000000000000000000000002"));
            using var file = SigningJournal.Open(parseResult.GetValue(journal)!);
            var v = parseResult.GetValue(variant);
            for (var r = 1UL; r <= parseResult.GetValue(rounds); r++)
            {
                var round = new RoundId(r);
                var (entry, signedNow) = await file.GetOrSignAsync(round, ct => ObservationBatchSigner.SignAsync(signer, deployment,
                    new ReportHeader(round, r * 10, 1_700_000_000 + r, Keccak256.Hash(BitConverter.GetBytes(r))), 10,
                    Enumerable.Range(1, 40).Select(i => new TokenObservation(new Address(Keccak256.Hash(BitConverter.GetBytes(i)).ToArray().AsSpan(12)),
                        new TokenAmount(new System.Numerics.BigInteger(1_000_000 + i)), new Wad(v * 1_000 + (ulong)i))), ct), cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{r} {entry.Digest} {(signedNow ? "new" : "journaled")}")).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            return Program.Ok;
        });
        return command;
    }
}
