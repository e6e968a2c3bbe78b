using System.Text.Json;
using Concordat.Data;
using Concordat.Documents;
using Concordat.Search;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Concordat.Operations;

/// <summary>
/// What a load balancer and an operator ask a node: /health/live (the process answers) and /health/ready (it can serve:
/// its database answers, its blob store takes a write, and its search index is not far behind the outbox). Each answers
/// JSON naming every check; ready answers 503 when a check fails, so the balancer sends requests to another node.
/// </summary>
public static class Health
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: ["ready"])
            .AddCheck<BlobStoreCheck>("blob-store", tags: ["ready"])
            .AddCheck<SearchIndexCheck>("search-index", tags: ["ready"]);
        return services;
    }

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync });
    }

    static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, JsonSerializerOptions.Web));
    }
}

sealed class DatabaseCheck(ConcordatDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy("The database answers.") : HealthCheckResult.Unhealthy("The database does not answer.");
}

sealed class BlobStoreCheck(IBlobStore blobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await blobs.ProbeAsync(ct);
            return HealthCheckResult.Healthy("The blob store answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The blob store does not answer ({e.GetType().Name}).");
        }
    }
}

sealed class SearchIndexCheck(SearchIndex index, ConcordatDb db, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var last = await db.SearchOutbox.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        var behind = Math.Max(0, last - index.AppliedSequence);
        var limit = configuration.GetValue("Concordat:Health:MaxSearchLag", 1000L);
        var description = $"The index is {behind} outbox entries behind the database.";
        return behind > limit ? HealthCheckResult.Unhealthy(description) : HealthCheckResult.Healthy(description);
    }
}
