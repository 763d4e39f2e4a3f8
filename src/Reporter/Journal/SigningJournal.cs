using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Reporter.Journal.Internal;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Reporter.Journal;

/// <summary>
/// The reporter's slashing-protection journal (docs/protocol.md section 4): an append-only file of length-prefixed,
/// keccak256-checksummed records, one per signed ObservationBatch. A batch is written and fsynced
/// (<see cref="FileStream.Flush(bool)"/> with <c>true</c>) before it may leave the process, and the node never signs a
/// second, different batch for a journaled round, across restarts. On open the file is scanned: a torn last record (a
/// write cut short by a crash; it was never sent, since sending waits for the fsync) is truncated and logged; damage
/// anywhere else stops the node with <see cref="JournalCorruptedException"/>. The file is held exclusively, so two
/// processes cannot share one journal.
/// </summary>
public sealed partial class SigningJournal : IDisposable
{
    private readonly FileStream _file;
    private readonly Dictionary<RoundId, JournalEntry> _entries;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger;

    private SigningJournal(FileStream file, Dictionary<RoundId, JournalEntry> entries, ILogger logger)
    {
        _file = file;
        _entries = entries;
        _logger = logger;
    }

    /// <summary>The journal file path.</summary>
    public string Path => _file.Name;

    /// <summary>The journaled rounds, ascending.</summary>
    public IReadOnlyList<JournalEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries.Values.OrderBy(e => e.Round)];
            }
        }
    }

    /// <summary>Opens (or creates) the journal, truncating a torn last record.</summary>
    /// <exception cref="JournalCorruptedException">A record other than the last is damaged.</exception>
    /// <exception cref="IOException">The file is in use by another process.</exception>
    public static SigningJournal Open(string path, ILogger<SigningJournal>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var log = (ILogger?)logger ?? NullLogger.Instance;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.None);
        try
        {
            var entries = Scan(file, log);
            return new SigningJournal(file, entries, log);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The journaled batch of a round, if the node has signed one.</summary>
    public JournalEntry? Find(RoundId round)
    {
        lock (_entries)
        {
            return _entries.GetValueOrDefault(round);
        }
    }

    /// <summary>
    /// Returns the journaled batch of <paramref name="round"/> when there is one (without signing anything: the caller
    /// resends it); otherwise calls <paramref name="sign"/>, journals the result durably and returns it. Only the
    /// returned entry may be sent.
    /// </summary>
    /// <returns>The entry and whether it was signed by this call.</returns>
    public async Task<(JournalEntry Entry, bool SignedNow)> GetOrSignAsync(RoundId round, Func<CancellationToken, Task<SignedBatch>> sign,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sign);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Find(round) is { } existing)
            {
                return (existing, false);
            }
            var batch = await sign(cancellationToken).ConfigureAwait(false);
            if (batch.Header.Round != round)
            {
                throw new ArgumentException($"the signer produced a batch for round {batch.Header.Round.Value}, expected {round.Value}", nameof(sign));
            }
            var entry = new JournalEntry(round, batch.Digest, batch.ToProto());
            AppendDurably(entry);
            return (entry, true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Journals an already signed batch; the same batch again is a no-op, a different one for a journaled round throws
    /// <see cref="EquivocationRefusedException"/>.
    /// </summary>
    public async Task<JournalEntry> AppendAsync(SignedBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var round = batch.Header.Round;
            if (Find(round) is { } existing)
            {
                return existing.Digest == batch.Digest ? existing : throw new EquivocationRefusedException(round, existing.Digest, batch.Digest);
            }
            var entry = new JournalEntry(round, batch.Digest, batch.ToProto());
            AppendDurably(entry);
            return entry;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _file.Dispose();
        _gate.Dispose();
    }

    private void AppendDurably(JournalEntry entry)
    {
        var record = JournalRecord.Encode(entry);
        var before = _file.Length;
        try
        {
            _file.Seek(before, SeekOrigin.Begin);
            _file.Write(record);
            _file.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Leave no partial record behind for the next append to follow; if even that fails, the scan on the next
            // start truncates it as a torn tail.
            _file.SetLength(before);
            throw;
        }
        lock (_entries)
        {
            _entries[entry.Round] = entry;
        }
        Log.Journaled(_logger, entry.Round.Value, entry.Digest.ToString());
    }

    private static Dictionary<RoundId, JournalEntry> Scan(FileStream file, ILogger logger)
    {
        var data = new byte[file.Length];
        file.Seek(0, SeekOrigin.Begin);
        file.ReadExactly(data);
        var entries = new Dictionary<RoundId, JournalEntry>();
        long offset = 0;
        while (offset < data.Length)
        {
            var remaining = data.AsSpan((int)offset);
            var torn = TornOrCorrupt(file.Name, offset, remaining, out var entry, out var length);
            if (torn)
            {
                Log.TornTail(logger, file.Name, offset, remaining.Length);
                file.SetLength(offset);
                file.Flush(flushToDisk: true);
                break;
            }
            if (entries.TryGetValue(entry!.Round, out var other) && other.Digest != entry.Digest)
            {
                throw new JournalCorruptedException(file.Name, offset, $"round {entry.Round.Value} is journaled twice with different digests");
            }
            entries[entry.Round] = entry;
            offset += length;
        }
        file.Seek(0, SeekOrigin.End);
        return entries;
    }

    /// <summary>True for a torn tail; throws for damage that is not at the tail; otherwise decodes one record.</summary>
    private static bool TornOrCorrupt(string path, long offset, ReadOnlySpan<byte> remaining, out JournalEntry? entry, out int length)
    {
        entry = null;
        length = 0;
        if (remaining.Length < JournalRecord.LengthSize)
        {
            return true;
        }
        var payload = BinaryPrimitives.ReadUInt32LittleEndian(remaining);
        if (payload < JournalRecord.HeaderPayloadSize || payload > JournalRecord.MaxPayload)
        {
            // A crash can leave a zero-filled tail (the size grew before the data reached the disk); other bytes here
            // mean the file was damaged.
            return remaining.IndexOfAnyExcept((byte)0) < 0
                ? true
                : throw new JournalCorruptedException(path, offset, $"record length {payload} is out of range");
        }
        length = JournalRecord.LengthSize + (int)payload + JournalRecord.ChecksumSize;
        if (length > remaining.Length)
        {
            return true;
        }
        try
        {
            entry = JournalRecord.TryDecode(remaining[..length]);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException ex)
        {
            throw new JournalCorruptedException(path, offset, $"checksum holds but the batch does not decode: {ex.Message}");
        }
        if (entry is not null)
        {
            return false;
        }
        return length == remaining.Length
            ? true
            : throw new JournalCorruptedException(path, offset, "checksum mismatch in a record that is not the last");
    }

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Information, "Journaled round {Round} batch {Digest}")]
        public static partial void Journaled(ILogger logger, ulong round, string digest);

        [LoggerMessage(201, LogLevel.Warning, "Signing journal {Path}: torn last record at byte {Offset} ({Bytes} bytes) truncated; it was never sent")]
        public static partial void TornTail(ILogger logger, string path, long offset, int bytes);
    }
}
