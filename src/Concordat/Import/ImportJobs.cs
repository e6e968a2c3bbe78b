using System.Text.Json;
using System.Threading.Channels;
using Concordat.Accounts;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Import;

/// <summary>
/// Runs the imports started from the page in the background, one at a time, so a thousand agreements do not hold a
/// browser request open. Progress and the finished summary go to the job's row; the page reads them from there.
/// </summary>
public sealed class ImportJobs(IServiceScopeFactory scopes, ImportStaging staging, TimeProvider clock, ILogger<ImportJobs> logger) : BackgroundService
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    readonly Channel<Guid> _queue = Channel.CreateUnbounded<Guid>();

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
        _queue.Writer.TryWrite(job.Id);
        return job.Id;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
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

    async Task RunAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var job = await db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == id, ct);
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByIdAsync(job.UserId);
        // Rights are those the person holds now, not when they clicked.
        var viewer = user is null ? Viewer.Anonymous : await PersonViewer.LoadAsync(scope.ServiceProvider, user, ct);
        if (staging.ManifestFor(job.StagedId, viewer.Actor) is not { } manifest)
        {
            await FinishAsync(id, ImportJobState.Failed, null, ct);
            return;
        }
        await using (var progressScope = scopes.CreateAsyncScope())
        {
            var progress = new JobProgress(progressScope.ServiceProvider.GetRequiredService<ConcordatDb>(), id, clock);
            progress.Report((0, 0));
            var options = new ImportOptions(DryRun: false, job.AsDraft, job.AddOrganisations && viewer.IsFrameworkAdministrator);
            var report = await scope.ServiceProvider.GetRequiredService<Importer>()
                .RunAsync(await File.ReadAllBytesAsync(manifest, ct), Path.GetDirectoryName(manifest)!, viewer, options, progress, ct);
            await FinishAsync(id, ImportJobState.Finished, JsonSerializer.Serialize(ImportSummary.From(report, options), Json), ct);
        }
        staging.Delete(job.StagedId);
    }

    async Task FinishAsync(Guid id, ImportJobState state, string? summary, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ConcordatDb>().ImportJobs.Where(j => j.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, state).SetProperty(j => j.Summary, summary).SetProperty(j => j.Updated, clock.GetUtcNow()), ct);
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
