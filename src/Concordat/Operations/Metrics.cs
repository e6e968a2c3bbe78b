using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Concordat.Operations;

/// <summary>
/// Concordat's own measurements, on one meter that costs nothing while nothing listens. With Concordat:Metrics:Enabled
/// they are exported, with ASP.NET Core's request durations, for Prometheus to scrape at /metrics (off by default;
/// keep /metrics to the monitoring network at the proxy).
/// </summary>
public static class Metrics
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

    public static IServiceCollection AddMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue("Concordat:Metrics:Enabled", false)) return services;
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
    }

    public static void MapMetrics(this WebApplication app)
    {
        if (app.Configuration.GetValue("Concordat:Metrics:Enabled", false)) app.MapPrometheusScrapingEndpoint("/metrics");
    }
}
