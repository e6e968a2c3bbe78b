using System.Security.Claims;
using System.Text.Json;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Concordat.Audit;

/// <summary>Adds events to the trail. They are saved with the change they describe, in its transaction.</summary>
public static class AuditTrail
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Queues an event on the context; the next SaveChanges chains and writes it atomically with the change.</summary>
    public static AuditEvent Record(ConcordatDb db, string actor, string action, string subject, object? details, TimeProvider clock, int? organisationId = null)
    {
        var at = clock.GetUtcNow();
        var e = new AuditEvent
        {
            OrganisationId = organisationId,
            At = at,
            Day = DateOnly.FromDateTime(at.UtcDateTime),
            Actor = actor,
            Action = action,
            Subject = subject,
            Details = details is null ? "{}" : JsonSerializer.Serialize(details, Json),
        };
        db.AuditEvents.Add(e);
        return e;
    }

    public static string ActorOf(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "unknown" : "anonymous";

    /// <summary>Checks the whole chain in order; returns the id of the first event that does not fit, or null.</summary>
    public static async Task<(long Checked, AuditEvent? FirstBroken, string? Why)> VerifyAsync(ConcordatDb db, CancellationToken ct)
    {
        var previous = AuditEvent.Genesis;
        long count = 0;
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.PreviousHash != previous) return (count, e, "it does not follow the event before it (an event was deleted or altered)");
            if (e.ComputeHash() != e.Hash) return (count, e, "its content does not match its hash (it was altered)");
            previous = e.Hash;
            count++;
        }
        return (count, null, null);
    }
}

public static class AuditSetup
{
    public static IServiceCollection AddAuditTrail(this IServiceCollection services) =>
        services.AddSingleton<IInterceptor, AuditChainInterceptor>();
}

/// <summary>
/// Chains new audit events as they are saved. A lock held from before the last hash is read until the
/// save ends keeps the chain a single line on this node. Every audited change is one SaveChanges
/// without an outer transaction, so the save's end is its commit. (Many nodes on PostgreSQL will need a database
/// lock instead: an advisory lock in the provider's own code.)
/// </summary>
sealed class AuditChainInterceptor : SaveChangesInterceptor
{
    static readonly SemaphoreSlim Append = new(1, 1);
    /// <summary>The contexts whose save holds the lock now, so each releases it exactly once.</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<DbContext, bool> _holders = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is ConcordatDb db)
        {
            var added = db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
            if (added.Count > 0)
            {
                await Append.WaitAsync(ct);
                _holders[db] = true;
                var previous = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).Select(e => e.Hash).FirstOrDefaultAsync(ct) ?? AuditEvent.Genesis;
                foreach (var e in added)
                {
                    e.PreviousHash = previous;
                    e.Hash = e.ComputeHash();
                    previous = e.Hash;
                }
            }
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        Release(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData.Context);
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken ct = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData.Context);

    void Release(DbContext? context)
    {
        if (context is not null && _holders.TryRemove(context, out _)) Append.Release();
    }
}
