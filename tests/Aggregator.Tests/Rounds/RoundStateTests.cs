using JasperFx.Events;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;

namespace SupplyOracle.Aggregator.Tests.Rounds;

/// <summary>The fold of a round's stream: the step comes from the recorded events alone.</summary>
public sealed class RoundStateTests
{
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
            state.Apply(Recorded(i, events[i]));
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
        state.Apply(Recorded(0, new RoundProposed(7, "a/7/30", 30, Digest, "0x", [Digest], 1, Digest)));
        state.Apply(Recorded(1, new AttestationAccepted(7, "old", "0x2222222222222222222222222222222222222222222222222222222222222222", Reporter, "0x")));

        Assert.Empty(state.Attestations);
    }

    [Fact]
    public void Apply_VersionGap_Throws()
    {
        var state = new RoundState(7);
        state.Apply(Recorded(0, new RoundOpened(7, 28, 29, 0, 5)));

        Assert.Throws<ArgumentException>(() => state.Apply(Recorded(2, new RoundAbandoned(7, "x"))));
    }

    // Marten's event envelope: versions are 1-based (the first event of a stream is version 1).
    private static IEvent Recorded(long version, object @event)
    {
        var e = Event.For(@event);
        e.Version = version + 1;
        e.Sequence = version + 1;
        e.Timestamp = DateTimeOffset.UnixEpoch;
        return e;
    }
}
