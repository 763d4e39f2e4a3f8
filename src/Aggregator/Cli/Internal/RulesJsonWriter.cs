using System.Text.Json;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Cli.Internal;

/// <summary>Writes a <see cref="RulesResult"/> as the what-if output (README, "Rules what-if"); big numbers as strings.</summary>
internal static class RulesJsonWriter
{
    public static string Write(RulesResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var header = result.Report.Header;
            w.WriteStartObject();
            w.WriteString("round", header.Round.ToString());
            w.WriteString("referenceBlock", Dec(header.ReferenceBlock));
            w.WriteString("referenceTime", Dec(header.ReferenceTime));
            w.WriteString("referenceHash", header.ReferenceHash.ToString());
            w.WriteBoolean("proposed", result.ShouldPropose);
            w.WriteStartObject("report");
            w.WriteString("updates", Hex.Encode(result.Report.EncodeUpdates()));
            w.WriteStartArray("entries");
            foreach (var u in result.Report.Updates)
            {
                w.WriteStartObject();
                w.WriteString("token", u.Token.ToString());
                w.WriteString("circulating", u.Circulating.ToString(null, System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("factor", u.Factor.ToString());
                w.WriteString("status", u.Status.ToString());
                w.WriteNumber("statusCode", (byte)u.Status);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("outcomes");
            foreach (var o in result.Outcomes)
            {
                WriteOutcome(w, o);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOutcome(Utf8JsonWriter w, TokenOutcome o)
    {
        var f = o.Figures;
        w.WriteStartObject();
        w.WriteString("token", o.Token.ToString());
        w.WriteString("reason", o.Reason.ToString());
        w.WriteBoolean("inReport", o.InReport);
        w.WriteNumber("observations", f.ObservationCount);
        WriteOptional(w, "supplyBase", f.SupplyBase?.ToString());
        w.WriteNumber("supplyBaseCount", f.SupplyBaseCount);
        w.WriteBoolean("supplyBaseExceedsUInt128", f.SupplyBaseExceedsUInt128);
        w.WriteStartArray("disagreeing");
        foreach (var reporter in f.Disagreeing)
        {
            w.WriteStringValue(reporter.ToString());
        }

        w.WriteEndArray();
        WriteOptional(w, "median", f.Median?.ToString());
        WriteOptional(w, "band", f.Band?.ToString());
        if (f.Agree is { } agree)
        {
            w.WriteNumber("agree", agree);
        }
        else
        {
            w.WriteNull("agree");
        }

        w.WriteStartArray("outliers");
        foreach (var reporter in f.Outliers)
        {
            w.WriteStringValue(reporter.ToString());
        }

        w.WriteEndArray();
        WriteOptional(w, "target", f.Target?.ToString());
        WriteOptional(w, "next", f.Next?.ToString());
        w.WriteStartObject("clamps");
        w.WriteBoolean("stepLow", f.Clamps.HasFlag(ClampsApplied.StepLow));
        w.WriteBoolean("stepHigh", f.Clamps.HasFlag(ClampsApplied.StepHigh));
        w.WriteBoolean("windowLow", f.Clamps.HasFlag(ClampsApplied.WindowLow));
        w.WriteBoolean("windowHigh", f.Clamps.HasFlag(ClampsApplied.WindowHigh));
        w.WriteBoolean("anchorRolled", f.Clamps.HasFlag(ClampsApplied.AnchorRolled));
        w.WriteEndObject();
        if (o.NewState is { } s)
        {
            w.WriteStartObject("newState");
            w.WriteString("factor", s.Factor.ToString());
            w.WriteString("committedAt", Dec(s.CommittedAt));
            w.WriteString("anchor", s.Anchor.ToString());
            w.WriteString("anchorAt", Dec(s.AnchorAt));
            w.WriteBoolean("initialized", s.Initialized);
            w.WriteBoolean("frozen", s.Frozen);
            w.WriteString("circulating", s.Circulating.ToString());
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("newState");
        }

        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static string Dec(ulong value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
