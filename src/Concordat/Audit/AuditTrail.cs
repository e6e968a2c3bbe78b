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
        // To the microsecond: PostgreSQL keeps no finer, and the hash must be of the time as stored.
        var now = clock.GetUtcNow();
        var at = now.AddTicks(-(now.Ticks % 10));
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

    /// <summary>
    /// Before the trail is copied to a database that keeps times to the microsecond: every event whose time has finer
    /// digits keeps the exact text its hash covers, so the chain still verifies after the copy. Returns how many.
    /// </summary>
    public static async Task<int> KeepExactTimesAsync(ConcordatDb db, CancellationToken ct)
    {
        var kept = 0;
        await foreach (var e in db.AuditEvents.Where(e => e.HashedTime == null).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.At.Ticks % 10 == 0) continue;
            e.HashedTime = e.At.ToUniversalTime().ToString("O");
            kept++;
        }
        await db.SaveChangesAsync(ct);
        return kept;
    }

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
/// Chains new audit events as they are saved. The save first takes the database's write lock (SerializedWrites), then
/// reads the last hash, so two writers (two requests, the CLI beside the app, two nodes) can never chain onto the same
/// event; the unique index on PreviousHash refuses a fork even if something bypassed the lock.
/// </summary>
sealed class AuditChainInterceptor : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is ConcordatDb db && Added(db) is { Count: > 0 } added)
        {
            await SerializedWrites.EnterAsync(db, ct);
            try
            {
                Chain(added, await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).Select(e => e.Hash).FirstOrDefaultAsync(ct));
            }
            catch
            {
                SerializedWrites.Abandon(db); // EF will not report a save that never began
                throw;
            }
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is ConcordatDb db && Added(db) is { Count: > 0 } added)
        {
            SerializedWrites.Enter(db);
            Chain(added, db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).Select(e => e.Hash).FirstOrDefault());
        }
        return result;
    }

    static List<AuditEvent> Added(ConcordatDb db) =>
        db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();

    static void Chain(List<AuditEvent> added, string? last)
    {
        var previous = last ?? AuditEvent.Genesis;
        foreach (var e in added)
        {
            e.PreviousHash = previous;
            e.Hash = e.ComputeHash();
            previous = e.Hash;
        }
    }
}
