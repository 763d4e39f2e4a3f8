using System.Diagnostics;
using System.Globalization;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Benchmarks.Crypto;

/// <summary>
/// <c>./bench.sh crypto [seconds]</c>: secp256k1 signatures and recoveries per second on one thread (one core), plus the
/// EIP-712 digest of a docs/protocol.md section 7 batch and Keccak-256 throughput.
/// </summary>
public sealed class CryptoBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "crypto";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2.0;
        var key = PrivateKey.Parse("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        var digests = Enumerable.Range(0, 256).Select(i => Keccak256.Hash(BitConverter.GetBytes(i))).ToArray();
        var signatures = digests.Select(key.Sign).ToArray();
        var typed = new SupplyOracleTypedData(1, Address.Parse("0x00000000000000000000000000000000000000aa"));
        var observations = new byte[SupplyOracleTypedData.ObservationSize * 20];
        new Random(1).NextBytes(observations);
        var oneKiB = new byte[1024];

        Console.WriteLine($"crypto benchmark: one thread, {seconds.ToString(CultureInfo.InvariantCulture)} s per figure, {Environment.ProcessorCount} cores visible");
        Report("sign (RFC 6979, low s)", seconds, i => key.Sign(digests[i & 255]), cancellationToken);
        Report("recover (SEC 1 4.1.6)", seconds, i => Ecdsa.Recover(digests[i & 255], signatures[i & 255]), cancellationToken);
        Report("verify (recover and compare)", seconds, i => Ecdsa.Verify(digests[i & 255], signatures[i & 255], key.Address), cancellationToken);
        Report("EIP-712 ObservationBatch digest (20 tokens)", seconds, i => typed.ObservationBatchDigest((ulong)i, 1, 2, digests[i & 255], observations), cancellationToken);
        var keccak = Report("keccak256 of 1 KiB", seconds, i => Keccak256.Hash(oneKiB), cancellationToken);
        Console.WriteLine($"  keccak256 throughput: {keccak * 1024 / 1e6:F1} MB/s");
        return Task.FromResult(0);
    }

    private static double Report<T>(string name, double seconds, Func<int, T> operation, CancellationToken cancellationToken)
    {
        // Warm up for a second, not a few hundred calls: tiered JIT recompiles hot methods after a delay, and the first
        // figures would time tier-0 code (it made verify, which is recover plus a compare, look faster than recover).
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; warmUp.Elapsed.TotalSeconds < 1 && !cancellationToken.IsCancellationRequested; i++)
        {
            operation(i);
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = ThreadCpuSeconds();
        var sw = Stopwatch.StartNew();
        var count = 0;
        while (sw.Elapsed.TotalSeconds < seconds && !cancellationToken.IsCancellationRequested)
        {
            for (var k = 0; k < 32; k++)
            {
                operation(count++);
            }
        }

        var rate = count / sw.Elapsed.TotalSeconds;
        // The machine is shared: the rate per CPU-second of this thread is the figure that does not depend on how much of
        // the core other processes took meanwhile (nor on the runtime's own threads: JIT, finalizer).
        var perCpuSecond = count / (ThreadCpuSeconds() - cpuBefore);
        var bytesPerOp = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)count;
        Console.WriteLine($"  {name,-45} {rate,10:N0} /s wall   {perCpuSecond,10:N0} /CPU-s   {1e6 / perCpuSecond,8:F1} us CPU/op   {bytesPerOp,8:N0} B/op");
        return perCpuSecond;
    }

    // utime + stime of the calling thread: fields 14 and 15 of /proc/thread-self/stat (proc(5)), in USER_HZ (100) ticks.
    // Elsewhere, the whole process's CPU time.
    private static double ThreadCpuSeconds()
    {
        if (!File.Exists("/proc/thread-self/stat"))
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime.TotalSeconds;
        }

        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
