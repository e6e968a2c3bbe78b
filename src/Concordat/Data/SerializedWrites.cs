using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Concordat.Data;

/// <summary>
/// Some rows must be written one transaction at a time across every process and node: the audit chain (each event
/// names the hash of the one before, so two writers reading the same last hash would fork it) and the search outbox
/// (an index reads entries by ascending id, so an id must never commit after a higher one). A save that writes such
/// rows calls <see cref="EnterAsync"/> before it reads what it chains on; it then holds the database's write lock
/// until its transaction commits:
/// - SQLite: the transaction is begun IMMEDIATE (Microsoft.Data.Sqlite's default), which takes the file's one write lock.
/// - PostgreSQL: a transaction-scoped advisory lock, released by the commit or rollback.
/// When the caller has no transaction of its own, one is begun here and committed when the save ends
/// (<see cref="SerializedWritesInterceptor"/>); inside a caller's transaction (an import row) the lock lasts until it commits.
/// </summary>
public static class SerializedWrites
{
    /// <summary>The advisory lock's key on PostgreSQL: any fixed number no other lock uses.</summary>
    const long PostgresLockKey = 0x436F6E636F7264; // "Concord"

    public static async Task EnterAsync(DbContext db, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            SerializedWritesInterceptor.Own(db, await db.Database.BeginTransactionAsync(ct));
        if (db.Database.IsNpgsql() && SerializedWritesInterceptor.FirstEntry(db))
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PostgresLockKey})", ct);
    }

    /// <summary>A transaction of the caller's own that holds the write lock from its start (a whole import row, a test holding writers back).</summary>
    public static async Task<IDbContextTransaction> BeginAsync(DbContext db, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PostgresLockKey})", ct);
        return transaction;
    }

    /// <summary>
    /// Rolls back the transaction a save began here and did not end: a save that failed before EF began writing, or one
    /// refused for a concurrency conflict (EF reports neither to SaveChangesFailed, and during the conflict its reader is
    /// still open), must not keep the write lock while its caller reads again or renders a page.
    /// </summary>
    public static void Abandon(DbContext db) => SerializedWritesInterceptor.RollBack(db);

    public static void Enter(DbContext db)
    {
        if (db.Database.CurrentTransaction is null) SerializedWritesInterceptor.Own(db, db.Database.BeginTransaction());
        if (db.Database.IsNpgsql() && SerializedWritesInterceptor.FirstEntry(db))
            db.Database.ExecuteSqlRaw($"SELECT pg_advisory_xact_lock({PostgresLockKey})");
    }
}

/// <summary>Commits (or rolls back) the transaction <see cref="SerializedWrites"/> began, as the save ends. Registered before every other interceptor.</summary>
public sealed class SerializedWritesInterceptor : SaveChangesInterceptor
{
    // Weak: a context disposed without its save ending (an exception before EF began saving) leaves nothing behind.
    static readonly ConditionalWeakTable<DbContext, IDbContextTransaction> Owned = new();
    /// <summary>The transactions that already hold the lock, so a second writer in the same save does not ask again.</summary>
    static readonly ConditionalWeakTable<DbContext, IDbContextTransaction> Locked = new();

    internal static void Own(DbContext db, IDbContextTransaction transaction) => Owned.AddOrUpdate(db, transaction);

    internal static bool FirstEntry(DbContext db)
    {
        var current = db.Database.CurrentTransaction!;
        if (Locked.TryGetValue(db, out var held) && ReferenceEquals(held, current)) return false;
        Locked.AddOrUpdate(db, current);
        return true;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db && Take(db) is { } transaction)
            await using (transaction) await transaction.CommitAsync(ct);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } db && Take(db) is { } transaction)
            using (transaction) transaction.Commit();
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default) => await RollBackAsync(eventData.Context);

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => RollBackAsync(eventData.Context).GetAwaiter().GetResult();

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken ct = default) => await RollBackAsync(eventData.Context);

    public override void SaveChangesCanceled(DbContextEventData eventData) => RollBackAsync(eventData.Context).GetAwaiter().GetResult();

    internal static void RollBack(DbContext db) => RollBackAsync(db).GetAwaiter().GetResult();

    static async Task RollBackAsync(DbContext? db)
    {
        if (db is not null && Take(db) is { } transaction)
            await using (transaction) await transaction.RollbackAsync(CancellationToken.None);
    }

    static IDbContextTransaction? Take(DbContext db)
    {
        Locked.Remove(db);
        return Owned.TryGetValue(db, out var transaction) && Owned.Remove(db) ? transaction : null;
    }
}
