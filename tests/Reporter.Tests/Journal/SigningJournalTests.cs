using SupplyOracle.Reporter.Journal;
using SupplyOracle.Reporter.Tests.Support;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Reporter.Tests.Journal;

public sealed class SigningJournalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("journal-").FullName;

    private string PathOf(string name = "journal.bin") => Path.Combine(_dir, name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task GetOrSignAsync_RoundAlreadySigned_ReturnsJournaledBatchWithoutSigningAgain()
    {
        using var journal = SigningJournal.Open(PathOf());
        var (first, firstNew) = await journal.GetOrSignAsync(new RoundId(5), _ => Batches.SignAsync(5, 100));
        var signs = 0;

        var (second, secondNew) = await journal.GetOrSignAsync(new RoundId(5), _ => { signs++; return Batches.SignAsync(5, 200); });

        Assert.True(firstNew);
        Assert.False(secondNew);
        Assert.Equal(0, signs);
        Assert.Equal(first.Digest, second.Digest);
    }

    [Fact]
    public async Task AppendAsync_DifferentBatchAfterRestart_ThrowsEquivocationRefused()
    {
        var signed = await Batches.SignAsync(7, 100);
        using (var journal = SigningJournal.Open(PathOf()))
        {
            await journal.AppendAsync(signed);
        }
        using var reopened = SigningJournal.Open(PathOf());
        var other = await Batches.SignAsync(7, 101);

        var error = await Assert.ThrowsAsync<EquivocationRefusedException>(() => reopened.AppendAsync(other));
        var same = await reopened.AppendAsync(signed);

        Assert.Equal((new RoundId(7), signed.Digest, other.Digest), (error.Round, error.Journaled, error.Attempted));
        Assert.Equal(signed.Digest, same.Digest);
        Assert.Equal(signed.ToProto(), Assert.Single(reopened.Entries).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(40)]
    [InlineData(100)]
    public async Task Open_TornLastRecord_TruncatesItAndKeepsEarlierRecords(int bytesCut)
    {
        using (var journal = SigningJournal.Open(PathOf()))
        {
            await journal.AppendAsync(await Batches.SignAsync(1, 100));
            await journal.AppendAsync(await Batches.SignAsync(2, 100));
        }
        var full = new FileInfo(PathOf()).Length;
        using (var stream = File.OpenWrite(PathOf()))
        {
            stream.SetLength(full - bytesCut);
        }

        using var reopened = SigningJournal.Open(PathOf());

        Assert.Equal(new RoundId(1), Assert.Single(reopened.Entries).Round);
        Assert.True(new FileInfo(PathOf()).Length < full - bytesCut);
        var (entry, signedNow) = await reopened.GetOrSignAsync(new RoundId(2), _ => Batches.SignAsync(2, 300));
        Assert.True(signedNow);
        Assert.Equal((await Batches.SignAsync(2, 300)).Digest, entry.Digest);
    }

    [Fact]
    public async Task Open_LastRecordWithFlippedByte_TruncatesIt()
    {
        using (var journal = SigningJournal.Open(PathOf()))
        {
            await journal.AppendAsync(await Batches.SignAsync(1, 100));
            await journal.AppendAsync(await Batches.SignAsync(2, 100));
        }
        FlipByte(PathOf(), new FileInfo(PathOf()).Length - 40);

        using var reopened = SigningJournal.Open(PathOf());

        Assert.Equal(new RoundId(1), Assert.Single(reopened.Entries).Round);
    }

    [Fact]
    public async Task Open_ZeroFilledTail_TruncatesIt()
    {
        using (var journal = SigningJournal.Open(PathOf()))
        {
            await journal.AppendAsync(await Batches.SignAsync(1, 100));
        }
        var length = new FileInfo(PathOf()).Length;
        await using (var stream = new FileStream(PathOf(), FileMode.Append))
        {
            await stream.WriteAsync(new byte[512]);
        }

        using var reopened = SigningJournal.Open(PathOf());

        Assert.Single(reopened.Entries);
        Assert.Equal(length, new FileInfo(PathOf()).Length);
    }

    [Fact]
    public async Task Open_DamagedRecordBeforeTheLast_ThrowsJournalCorrupted()
    {
        using (var journal = SigningJournal.Open(PathOf()))
        {
            await journal.AppendAsync(await Batches.SignAsync(1, 100));
            await journal.AppendAsync(await Batches.SignAsync(2, 100));
        }
        FlipByte(PathOf(), 20);

        var error = Assert.Throws<JournalCorruptedException>(() => SigningJournal.Open(PathOf()));

        Assert.Equal(0, error.Offset);
    }

    [Fact]
    public void Open_FileHeldByAnotherJournal_Throws()
    {
        using var journal = SigningJournal.Open(PathOf());

        Assert.Throws<IOException>(() => SigningJournal.Open(PathOf()));
    }

    private static void FlipByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x5a));
    }
}
