using System.Diagnostics.Metrics;

namespace Concordat.Shared;

/// <summary>
/// Concordat's own measurements, on one meter that costs nothing while nothing listens. Features record into them;
/// Operations exports them when metrics are on. Here, on the bottom floor, so any feature can record.
/// </summary>
public static class Measurements
{
    public const string MeterName = "Concordat";
    static readonly Meter Meter = new(MeterName);

    /// <summary>Messages sent by SMTP, saved to the pickup folder, or failed: tag outcome.</summary>
    public static readonly Counter<long> MailMessages = Meter.CreateCounter<long>("concordat.mail.messages", description: "Email messages, by outcome");

    /// <summary>Import rows applied: tag outcome (created, updated, failed).</summary>
    public static readonly Counter<long> ImportRows = Meter.CreateCounter<long>("concordat.import.rows", description: "Import rows applied, by outcome");

    /// <summary>From a change's save to this node's index applying it.</summary>
    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>("concordat.search.outbox.lag", unit: "s",
        description: "Time from a change being saved to this node's search index applying it");

    public static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);
}
