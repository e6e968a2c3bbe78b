using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Import;

/// <summary>
/// Importing a back catalogue from the browser: upload a ZIP of the folder with its manifest, read the check of every
/// row, then import. The same Importer as the command line.
/// </summary>
[RequestSizeLimit(MaxZipBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxZipBytes)]
public sealed class ImportModel(Importer importer, ImportStaging staging, ImportJobs jobs, ConcordatDb db, Viewer viewer) : FormPage
{
    public const long MaxZipBytes = 1L << 30;

    [BindProperty] public bool AsDraft { get; set; }
    [BindProperty] public bool AddOrganisations { get; set; }
    [BindProperty] public string? Staged { get; set; }

    /// <summary>The check of an uploaded ZIP, once there is one.</summary>
    public ImportSummary? Check { get; private set; }
    public bool MayAddOrganisations => viewer.IsFrameworkAdministrator;

    public IActionResult OnGet() => AgreementAccess.MayCreate(viewer) ? Page() : StatusCode(StatusCodes.Status403Forbidden);

    /// <summary>Stage the ZIP and check every row, changing nothing.</summary>
    public async Task<IActionResult> OnPostCheckAsync(IFormFile? upload, CancellationToken ct)
    {
        if (!AgreementAccess.MayCreate(viewer)) return StatusCode(StatusCodes.Status403Forbidden);
        if (upload is null || upload.Length == 0)
        {
            Errors.Add("upload", "Select the ZIP file of your agreements and their manifest");
            return Page();
        }
        var options = new ImportOptions(DryRun: true, AsDraft, AddOrganisations && viewer.IsFrameworkAdministrator);
        ImportReport? report = null;
        await using var zip = upload.OpenReadStream();
        // The ZIP is kept for the run only if its check says it can run.
        var (id, refused) = await staging.StageAsync(zip, MaxZipBytes, viewer.Actor, async unpacked =>
        {
            report = await importer.RunAsync(await System.IO.File.ReadAllBytesAsync(unpacked.Manifest, ct), unpacked.ManifestFolder, viewer, options, null, ct);
            return report.CanRun;
        }, ct);
        if (report is null)
        {
            Errors.Add("upload", refused!);
            return Page();
        }
        Staged = id;
        foreach (var problem in report.ManifestProblems.Where(p => !p.IsWarning)) Errors.Add("upload", problem.ToString());
        Check = ImportSummary.From(report, options);
        return Page();
    }

    /// <summary>
    /// Import the valid rows of a checked ZIP, in the background; the progress page follows it. Rows are checked again
    /// as they are imported, so a change made since the check is not overwritten blindly.
    /// </summary>
    public async Task<IActionResult> OnPostRunAsync(CancellationToken ct)
    {
        if (!AgreementAccess.MayCreate(viewer)) return StatusCode(StatusCodes.Status403Forbidden);
        if (!await staging.IsStagedAsync(Staged, viewer.Actor, ct)
            || await jobs.StartAsync(db, Staged!, viewer, AsDraft, AddOrganisations && viewer.IsFrameworkAdministrator, ct) is not { } job)
        {
            Errors.Add("upload", "That import has already run or has expired. Upload the ZIP again.");
            return Page();
        }
        return Redirect($"/import/jobs/{job}");
    }
}
