using OpenTelemetry.Metrics;

namespace Concordat.Operations;

/// <summary>
/// With Concordat:Metrics:Enabled, Concordat's own measurements (Shared/Measurements), ASP.NET Core's request
/// durations and the .NET runtime's own meter (managed heap, collections, working set, thread pool) are exported for Prometheus to scrape at /metrics (off by default; keep /metrics to the monitoring network
/// at the proxy).
/// </summary>
public static class Metrics
{
    public static IServiceCollection AddMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue("Concordat:Metrics:Enabled", false)) return services;
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Measurements.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
            .AddPrometheusExporter());
        return services;
    }

    public static void MapMetrics(this WebApplication app)
    {
        if (app.Configuration.GetValue("Concordat:Metrics:Enabled", false)) app.MapPrometheusScrapingEndpoint("/metrics");
    }
}
