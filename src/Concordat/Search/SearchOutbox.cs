using Concordat.Agreements;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Search;

/// <summary>
/// "This agreement's search document may have changed", written in the same save as the change. The
/// index applies these in order and records the last one applied, so it never drifts from the database.
/// </summary>
public sealed class SearchOutboxEntry
{
    /// <summary>The sequence: the index has applied every entry up to the one its commit data names.</summary>
    public long Id { get; set; }
    /// <summary>The agreement by its reference, known before the agreement's first save (its id is not).</summary>
    public required string Reference { get; set; }
    public DateTimeOffset At { get; set; }
}

sealed class SearchOutboxConfiguration : IEntityTypeConfiguration<SearchOutboxEntry>
{
    public void Configure(EntityTypeBuilder<SearchOutboxEntry> e)
    {
        e.ToTable("SearchOutbox");
        e.Property(o => o.Reference).HasMaxLength(20);
        e.HasIndex(o => new { o.Reference, o.Id }); // for compaction: the newest entry per agreement
    }
}

public static class SearchTables
{
    extension(ConcordatDb db)
    {
        public DbSet<SearchOutboxEntry> SearchOutbox => db.Set<SearchOutboxEntry>();

        /// <summary>
        /// Deletes every entry a newer entry for the same agreement has overtaken, so the outbox holds one row per
        /// agreement however often they change. Safe whatever position any node's index has reached: applying an entry
        /// indexes the agreement as it is now, so a node that has not reached the deleted entry still reaches the newer
        /// one, which does all the deleted one would have. The newest entry is never deleted, so the outbox still holds
        /// every agreement (a rebuild from position 0 relies on it).
        /// </summary>
        public Task<int> CompactSearchOutboxAsync(CancellationToken ct)
        {
            var outbox = db.Set<SearchOutboxEntry>();
            return outbox.Where(e => outbox.Any(newer => newer.Reference == e.Reference && newer.Id > e.Id)).ExecuteDeleteAsync(ct);
        }
    }
}

/// <summary>
/// Adds an outbox entry for every agreement a save adds, changes or deletes. Everything in an
/// agreement's search document (its record, parties, files, visibility, status) is saved with the
/// agreement row itself touched (its UpdatedAt), so watching agreement rows is enough; a test holds
/// every command to that.
/// </summary>
sealed class SearchOutboxInterceptor(SearchSignal signal, TimeProvider clock) : SaveChangesInterceptor
{
    // Entries take the write lock before their ids are drawn: on PostgreSQL, ids drawn by two open transactions could
    // otherwise commit out of order and an index reading "after the last id applied" would skip the lower one.
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is ConcordatDb db && AddEntries(db)) await SerializedWrites.EnterAsync(db, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is ConcordatDb db && AddEntries(db)) SerializedWrites.Enter(db);
        return result;
    }

    bool AddEntries(ConcordatDb db)
    {
        // A save retried after a failure (a reference taken by another node) starts again from what it now holds.
        foreach (var stale in db.ChangeTracker.Entries<SearchOutboxEntry>().Where(e => e.State == EntityState.Added).ToList())
            stale.State = EntityState.Detached;
        var references = db.ChangeTracker.Entries<Agreement>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.State == EntityState.Deleted ? (string)e.OriginalValues[nameof(Agreement.Reference)]! : e.Entity.Reference)
            .Where(r => !string.IsNullOrEmpty(r)).Distinct().ToList();
        var now = clock.GetUtcNow();
        foreach (var reference in references) db.SearchOutbox.Add(new SearchOutboxEntry { Reference = reference, At = now });
        return references.Count > 0;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        signal.Raise();
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        signal.Raise();
        return result;
    }
}

/// <summary>Wakes the indexer when a save may have written outbox entries.</summary>
public sealed class SearchSignal : WakeSignal;

/// <summary>
/// Wakes the indexer when a transaction commits too: a save inside its caller's own transaction (a new agreement taking
/// its reference, an import row) raises the signal before its entries are committed, and they would otherwise wait for
/// the indexer's next poll.
/// </summary>
sealed class SearchCommitSignal(SearchSignal signal) : DbTransactionInterceptor
{
    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        signal.Raise();
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => signal.Raise();
}
