using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Tests.Serialization;

public sealed class EventTypeMapTests
{
    private sealed record RoundOpened(long Round, string ReferenceHash);

    private sealed record RoundClosed(long Round);

    [Fact]
    public void ToEventData_RegisteredType_UsesStableNameAndRoundTrips()
    {
        var map = new EventTypeMap().Register<RoundOpened>("round-opened.v1");
        var id = Guid.NewGuid();
        var data = map.ToEventData(new RoundOpened(42, "0xabc"), id, new EventMetadata(Guid.NewGuid(), null));

        Assert.Equal("round-opened.v1", data.Type);
        Assert.Equal("{\"round\":42,\"referenceHash\":\"0xabc\"}", data.Json);
        var recorded = new RecordedEvent(new StreamId("r"), 0, 1, id, data.Type, data.Json, data.Metadata, DateTimeOffset.UnixEpoch);
        Assert.Equal(new RoundOpened(42, "0xabc"), map.Deserialize(recorded));
    }

    [Fact]
    public void ToEventData_UnregisteredType_ThrowsUnknownEventType()
    {
        var e = Assert.Throws<UnknownEventTypeException>(() => new EventTypeMap().ToEventData(new RoundClosed(1), Guid.NewGuid()));
        Assert.Contains(nameof(RoundClosed), e.TypeDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_UnknownName_ThrowsUnknownEventType()
    {
        var recorded = new RecordedEvent(new StreamId("r"), 0, 1, Guid.NewGuid(), "nobody.v1", "{}", default, DateTimeOffset.UnixEpoch);
        Assert.Throws<UnknownEventTypeException>(() => new EventTypeMap().Deserialize(recorded));
    }

    [Fact]
    public void Register_NameTakenByOtherType_Throws()
    {
        var map = new EventTypeMap().Register<RoundOpened>("round.v1");
        Assert.Throws<ArgumentException>(() => map.Register<RoundClosed>("round.v1"));
        Assert.Throws<ArgumentException>(() => map.Register<RoundOpened>("round-opened.v2"));
        Assert.Throws<ArgumentException>(() => map.Register<RoundClosed>("has space"));
    }

    [Fact]
    public void EventData_EmptyId_Throws() =>
        Assert.Throws<ArgumentException>(() => new EventData(Guid.Empty, "t.v1", "{}", default));
}
