using System.Text.Json;
using Concordat.Accounts;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Import;

/// <summary>
/// Runs the imports started from the page in the background, one at a time per node, so a thousand agreements do not
/// hold a browser request open. Jobs are claimed from their rows, not from a queue in memory: any node runs a queued job,
/// holding the job's lease while it does and renewing it on a timer; if that node stops, the lease runs
/// out and another node resumes the job, whose rows already imported are found again by their import keys. Progress
/// and the finished summary go to the job's row; the page reads them from there. The ZIP comes from the blob store
/// (<see cref="ImportStaging"/>), so the node that runs a job need not be the one it was uploaded to.
/// </summary>
public sealed class ImportJobs(IServiceScopeFactory scopes, TimeProvider clock, NodeName node, IConfiguration configuration,
    ILogger<ImportJobs> logger) : BackgroundService
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    readonly ImportSignal _started = new();
    /// <summary>How long a node's claim on a job lasts without progress (Concordat:Import:ClaimSeconds, default 300).</summary>
    TimeSpan Claim => TimeSpan.FromSeconds(configuration.GetValue("Concordat:Import:ClaimSeconds", 300));
    /// <summary>How often a node looks for jobs another node started or left (Concordat:Import:PollSeconds, default 5).</summary>
    TimeSpan Poll => TimeSpan.FromSeconds(configuration.GetValue("Concordat:Import:PollSeconds", 5));

    static string LeaseOf(Guid id) => $"import-job:{id:N}";

    /// <summary>Queues the import of a checked staging folder; null when that folder already has a job (a second click, another tab).</summary>
    public async Task<Guid?> StartAsync(ConcordatDb db, string stagedId, Viewer viewer, bool asDraft, bool addOrganisations, CancellationToken ct)
    {
        if (viewer.UserId is null || await db.ImportJobs.AnyAsync(j => j.StagedId == stagedId, ct)) return null;
        var job = new ImportJob
        {
            Id = Guid.NewGuid(), UserId = viewer.UserId, StagedId = stagedId, AsDraft = asDraft, AddOrganisations = addOrganisations,
            State = ImportJobState.Queued, Created = clock.GetUtcNow(), Updated = clock.GetUtcNow(),
        };
        db.ImportJobs.Add(job);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return null; // the unique staging id: two clicks raced and the other won
        }
        _started.Raise();
        return job.Id;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ClaimNextAsync(stoppingToken) is { } id)
                {
                    try
                    {
                        await RunAsync(id, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogError(e, "Import job {Job} failed", id);
                        await FinishAsync(id, ImportJobState.Failed, null, CancellationToken.None);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // the job keeps its row and, once its lease runs out, another node (or this one, restarted) resumes it
            }
            catch (Exception e)
            {
                logger.LogError(e, "Looking for import jobs failed; trying again");
            }
            try { await _started.WaitAsync(Poll, stoppingToken); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>The oldest unfinished job whose lease this node could take, or null.</summary>
    async Task<Guid?> ClaimNextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var waiting = await db.ImportJobs.AsNoTracking().Where(j => j.State == ImportJobState.Queued || j.State == ImportJobState.Running)
            .OrderBy(j => j.Created).Select(j => new { j.Id, j.State }).Take(20).ToListAsync(ct);
        foreach (var job in waiting)
        {
            if (!await Leases.TryTakeAsync(db, LeaseOf(job.Id), node, Claim, clock, ct)) continue;
            if (job.State == ImportJobState.Running) logger.LogWarning("Import job {Job} stopped on another node; node {Node} resumes it", job.Id, node.Value);
            return job.Id;
        }
        return null;
    }

    async Task RunAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var job = await db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == id, ct);
        if (!job.IsRunning)
        {
            // Finished by another node between the look and the claim: give the claim back, or it would outlive the job.
            await Leases.ReleaseAsync(db, LeaseOf(id), node, ct);
            return;
        }
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByIdAsync(job.UserId);
        // Rights are those the person holds now, not when they clicked.
        var viewer = user is null ? Viewer.Anonymous : await PersonViewer.LoadAsync(scope.ServiceProvider, user, ct);
        var staging = scope.ServiceProvider.GetRequiredService<ImportStaging>();
        await using var unpacked = await staging.UnpackAsync(job.StagedId, viewer.Actor, ct);
        if (unpacked is null)
        {
            await FinishAsync(id, ImportJobState.Failed, null, ct);
            return;
        }
        // The claim is renewed on a timer, whatever a row is doing (a long OCR): if it is ever lost, another node has the job,
        // and this one stops at once without finishing it or touching its staging folder.
        using var claimLost = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var renewing = new CancellationTokenSource();
        var renewal = KeepClaimAsync(id, claimLost, renewing.Token);
        try
        {
            await using var progressScope = scopes.CreateAsyncScope();
            var progress = new JobProgress(progressScope.ServiceProvider.GetRequiredService<ConcordatDb>(), id, clock);
            progress.Report((0, 0));
            var options = new ImportOptions(DryRun: false, job.AsDraft, job.AddOrganisations && viewer.IsFrameworkAdministrator);
            var report = await scope.ServiceProvider.GetRequiredService<Importer>()
                .RunAsync(await File.ReadAllBytesAsync(unpacked.Manifest, claimLost.Token), unpacked.ManifestFolder, viewer, options, progress, claimLost.Token);
            await renewing.CancelAsync();
            await renewal;
            if (claimLost.IsCancellationRequested && !ct.IsCancellationRequested) return;
            await FinishAsync(id, ImportJobState.Finished, JsonSerializer.Serialize(ImportSummary.From(report, options), Json), ct);
        }
        catch (OperationCanceledException) when (claimLost.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Import job {Job}: node {Node} lost its claim, so another node carries it on", id, node.Value);
            return;
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
        }
        await staging.DeleteAsync(job.StagedId, ct);
    }

    /// <summary>Renews this node's lease on the job every third of its length; cancels the run if the lease went to another node.</summary>
    async Task KeepClaimAsync(Guid id, CancellationTokenSource claimLost, CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(Claim / 3);
            while (await timer.WaitForNextTickAsync(stop))
            {
                await using var scope = scopes.CreateAsyncScope();
                if (await Leases.TryTakeAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), LeaseOf(id), node, Claim, clock, stop)) continue;
                await claimLost.CancelAsync();
                return;
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            // The database is unreachable: the import itself will fail on its next write; the lease simply runs out.
            logger.LogWarning(e, "Import job {Job}: renewing its claim failed", id);
        }
    }

    async Task FinishAsync(Guid id, ImportJobState state, string? summary, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        // The job's end and its lease's release together: no one sees a finished job still claimed, or a claim-free one still running.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.ImportJobs.Where(j => j.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, state).SetProperty(j => j.Summary, summary).SetProperty(j => j.Updated, clock.GetUtcNow()), ct);
        await Leases.ReleaseAsync(db, LeaseOf(id), node, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Writes the importer's progress to the job's row through a context of its own (the importer clears its own
    /// context between rows), at most once a second: the page polls no faster than that.
    /// </summary>
    sealed class JobProgress(ConcordatDb db, Guid id, TimeProvider clock) : IProgress<(int Done, int Total)>
    {
        DateTimeOffset _written = DateTimeOffset.MinValue;

        public void Report((int Done, int Total) value)
        {
            var now = clock.GetUtcNow();
            if (value.Done > 0 && value.Done < value.Total && now - _written < TimeSpan.FromSeconds(1)) return;
            _written = now;
            db.ImportJobs.Where(j => j.Id == id).ExecuteUpdate(s => s
                .SetProperty(j => j.State, ImportJobState.Running).SetProperty(j => j.Done, value.Done)
                .SetProperty(j => j.Total, value.Total).SetProperty(j => j.Updated, now));
        }
    }
}

/// <summary>Wakes this node's job runner when a job is started here; jobs started on other nodes are found at the next poll.</summary>
sealed class ImportSignal : WakeSignal;
