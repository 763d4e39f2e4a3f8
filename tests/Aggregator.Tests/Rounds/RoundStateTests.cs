using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.Aggregator.Tests.Rounds;

/// <summary>The fold of a round's stream: the step comes from the recorded events alone.</summary>
public sealed class RoundStateTests
{
    private static readonly EventTypeMap Map = new EventTypeMap().RegisterIntakeEvents().RegisterRoundEvents().RegisterTransmissionEvents();
    private const string Digest = "0x1111111111111111111111111111111111111111111111111111111111111111";
    private const string Reporter = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    [Fact]
    public void Apply_LifecycleInOrder_StepFollowsEachEvent()
    {
        var state = new RoundState(7);
        var steps = new List<RoundStep>();
        object[] events =
        [
            new RoundOpened(7, 28, 29, 1_700_000_000, 5),
            new ObservationAccepted(7, Reporter, Digest, 28, 1, Digest, "0x", "0x", 0),
            new RoundClosed(7, 30, 1, [], []),
            new RoundProposed(7, "a/7/30", 30, Digest, "0x", [Digest], 1, Digest),
            new AttestationAccepted(7, "a/7/30", Digest, Reporter, "0x"),
            new AttestationAccepted(7, "a/7/30", Digest, Reporter, "0x"),
            new TransmissionIntended(7, Reporter, [Reporter]),
            new RoundConfirmed(7, Digest, 31, 100_000, 0),
        ];
        for (var i = 0; i < events.Length; i++)
        {
            state.Apply(Recorded(i, events[i]), Map);
            steps.Add(state.Step);
        }

        Assert.Equal([RoundStep.Opened, RoundStep.Opened, RoundStep.Opened, RoundStep.Proposed, RoundStep.Proposed, RoundStep.Proposed, RoundStep.Transmitting, RoundStep.Confirmed], steps);
        Assert.Single(state.Attestations);
        Assert.Single(state.Heard);
        Assert.True(state.IsDecided);
    }

    [Fact]
    public void Apply_AttestationOfAnotherDigest_NotCounted()
    {
        var state = new RoundState(7);
        state.Apply(Recorded(0, new RoundProposed(7, "a/7/30", 30, Digest, "0x", [Digest], 1, Digest)), Map);
        state.Apply(Recorded(1, new AttestationAccepted(7, "old", "0x2222222222222222222222222222222222222222222222222222222222222222", Reporter, "0x")), Map);

        Assert.Empty(state.Attestations);
    }

    [Fact]
    public void Apply_VersionGap_Throws()
    {
        var state = new RoundState(7);
        state.Apply(Recorded(0, new RoundOpened(7, 28, 29, 0, 5)), Map);

        Assert.Throws<ArgumentException>(() => state.Apply(Recorded(2, new RoundAbandoned(7, "x")), Map));
    }

    private static RecordedEvent Recorded(long version, object @event)
    {
        var data = Map.ToEventData(@event, Guid.NewGuid());
        return new RecordedEvent(new StreamId("round-7"), version, version + 1, data.EventId, data.Type, data.Json, default, DateTimeOffset.UnixEpoch);
    }
}
