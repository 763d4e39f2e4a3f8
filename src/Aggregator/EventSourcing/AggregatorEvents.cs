using JasperFx.Events;
using Marten;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;

namespace SupplyOracle.Aggregator.EventSourcing;

/// <summary>
/// The aggregator's event catalogue on Marten (docs/architecture.md "Event sourcing"): every event type under its stable name
/// (<c>round-opened.v1</c>, ...), never a CLR type name, so renaming or moving a class never breaks the log and the names
/// are those the previous release stored. Streams are named by strings (<c>round-&lt;r&gt;</c>, <c>intake-rejections</c>,
/// <c>transmitter</c>).
/// </summary>
public static class AggregatorEvents
{
    /// <summary>Registers every aggregator event type on <paramref name="options"/> under its stable name.</summary>
    public static void Register(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Events.StreamIdentity = StreamIdentity.AsString;
        var events = options.Events;
        events.MapEventType<ObservationAccepted>(IntakeEventNames.ObservationAccepted);
        events.MapEventType<ObservationRejected>(IntakeEventNames.ObservationRejected);
        events.MapEventType<EquivocationDetected>(IntakeEventNames.EquivocationDetected);
        events.MapEventType<RoundOpened>(RoundEventNames.RoundOpened);
        events.MapEventType<AttestationAccepted>(RoundEventNames.AttestationAccepted);
        events.MapEventType<AttestationRejected>(RoundEventNames.AttestationRejected);
        events.MapEventType<ProposalRefused>(RoundEventNames.ProposalRefused);
        events.MapEventType<RoundClosed>(RoundEventNames.RoundClosed);
        events.MapEventType<RoundProposed>(RoundEventNames.RoundProposed);
        events.MapEventType<RoundAbandoned>(RoundEventNames.RoundAbandoned);
        events.MapEventType<TransmissionIntended>(TransmissionEventNames.TransmissionIntended);
        events.MapEventType<TransmissionReplaced>(TransmissionEventNames.TransmissionReplaced);
        events.MapEventType<TransmissionReorganised>(TransmissionEventNames.TransmissionReorganised);
        events.MapEventType<RoundConfirmed>(TransmissionEventNames.RoundConfirmed);
        events.MapEventType<RoundSuperseded>(TransmissionEventNames.RoundSuperseded);
        events.MapEventType<RoundFailed>(TransmissionEventNames.RoundFailed);
        events.MapEventType<SenderBalanceLow>(TransmissionEventNames.SenderBalanceLow);
        events.MapEventType<SenderBalanceRestored>(TransmissionEventNames.SenderBalanceRestored);
    }
}
