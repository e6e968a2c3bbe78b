using System.Text.Json;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Import;

/// <summary>
/// An import running in the background: its progress while it runs, its summary once it has finished. Only the person
/// who started it sees it. Without JavaScript the page is refreshed by hand; with it, a small script follows the
/// progress (handler Progress) and reloads the page when the import has finished.
/// </summary>
public sealed class ImportJobModel(ConcordatDb db, Viewer viewer, TimeProvider clock) : PageModel
{
    public ImportJob Job { get; private set; } = null!;
    public ImportSummary? Summary { get; private set; }
    public bool Stalled => Job.HasStalled(clock.GetUtcNow());

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } job) return NotFound();
        Job = job;
        if (job.Summary is not null) Summary = JsonSerializer.Deserialize<ImportSummary>(job.Summary, ImportJobs.Json);
        return Page();
    }

    /// <summary>The progress as JSON, for the page's script.</summary>
    public async Task<IActionResult> OnGetProgressAsync(Guid id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } job) return NotFound();
        Job = job;
        return new JsonResult(new { done = job.Done, total = job.Total, running = job.IsRunning && !Stalled, text = ProgressText });
    }

    public string ProgressText => Job.Total == 0
        ? "Checking the rows again before importing them."
        : $"{Job.Done} of {Job.Total} {(Job.Total == 1 ? "agreement" : "agreements")} imported.";

    Task<ImportJob?> FindAsync(Guid id, CancellationToken ct) =>
        db.ImportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id && j.UserId == viewer.UserId, ct);
}
