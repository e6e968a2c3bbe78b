using Concordat.Data;
using Concordat.Documents;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements;

/// <summary>
/// Accounts for every stored file: deletes blobs that no file version refers to (left by a crash
/// between the blob commit and the database save) and stale staging files. A grace period keeps the
/// blob of an upload that is being saved right now.
/// </summary>
public sealed class BlobSweeper(IServiceScopeFactory scopes, IBlobStore blobs, IEnumerable<IBlobReferences> holders, TimeProvider clock, NodeName node,
    IConfiguration configuration, ILogger<BlobSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);
    /// <summary>How often the store is swept, across every node together (Concordat:Documents:SweepEvery, default 6 hours).</summary>
    TimeSpan Every => configuration.GetValue("Concordat:Documents:SweepEvery", TimeSpan.FromHours(6));

    public async Task<int> SweepAsync(TimeSpan grace, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var referenced = (await db.FileVersions.Select(v => v.Sha256).Distinct().ToListAsync(ct)).ToHashSet();
        foreach (var holder in holders) referenced.UnionWith(await holder.Sha256s(db).ToListAsync(ct));
        var cutoff = clock.GetUtcNow().UtcDateTime - grace;
        var removed = 0;
        foreach (var blob in blobs.ListAll().ToList())
        {
            if (referenced.Contains(blob.Sha256) || blob.LastWriteUtc > cutoff) continue;
            // Look again just before deleting: an upload may have saved a reference since the list was read.
            if (await db.FileVersions.AnyAsync(v => v.Sha256 == blob.Sha256, ct) || await HeldAsync(db, blob.Sha256, ct)) continue;
            blobs.Delete(blob.Sha256);
            removed++;
        }
        removed += blobs.SweepTemp(grace);
        if (removed > 0) logger.LogWarning("Swept {Count} unreferenced or stale files from the blob store", removed);
        return removed;
    }

    async Task<bool> HeldAsync(ConcordatDb db, string sha256, CancellationToken ct)
    {
        foreach (var holder in holders)
            if (await holder.Sha256s(db).AnyAsync(s => s == sha256, ct)) return true;
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                // Once per period across nodes: whichever node's timer fires first takes the lease for the period.
                await using var scope = scopes.CreateAsyncScope();
                if (!await Leases.TryTakeAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), "blob-sweep", node, Every, clock, stoppingToken)) continue;
                logger.LogInformation("Blob sweep started on node {Node}", node.Value);
                await SweepAsync(Grace, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "Blob sweep failed"); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>
/// Something other than a file version that keeps blobs in the store (a staged import's ZIP, from a feature above this
/// one): registered as a service, its blobs are never swept.
/// </summary>
public interface IBlobReferences
{
    IQueryable<string> Sha256s(ConcordatDb db);
}
