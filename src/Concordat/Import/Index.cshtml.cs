using Concordat.Agreements;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Import;

/// <summary>
/// Importing a back catalogue from the browser: upload a ZIP of the folder with its manifest, read the check of every
/// row, then import. The same Importer as the command line.
/// </summary>
[RequestSizeLimit(MaxZipBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxZipBytes)]
public sealed class ImportModel(Importer importer, ImportStaging staging, Viewer viewer) : FormPage
{
    public const long MaxZipBytes = 1L << 30;

    [BindProperty] public bool AsDraft { get; set; }
    [BindProperty] public bool AddOrganisations { get; set; }
    [BindProperty] public string? Staged { get; set; }

    public ImportReport? Report { get; private set; }
    public ImportOptions Options { get; private set; } = new();
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
        await using var zip = upload.OpenReadStream();
        var (id, problem) = staging.Unpack(zip, viewer.Actor);
        if (problem is not null)
        {
            Errors.Add("upload", problem);
            return Page();
        }
        Staged = id;
        return await RunAsync(dryRun: true, ct);
    }

    /// <summary>Import the rows of a checked ZIP that are valid; the rest stay listed for correcting.</summary>
    public async Task<IActionResult> OnPostRunAsync(CancellationToken ct)
    {
        if (!AgreementAccess.MayCreate(viewer)) return StatusCode(StatusCodes.Status403Forbidden);
        if (staging.ManifestFor(Staged, viewer.Actor) is null)
        {
            Errors.Add("upload", "That import has already run or has expired. Upload the ZIP again.");
            return Page();
        }
        return await RunAsync(dryRun: false, ct);
    }

    async Task<IActionResult> RunAsync(bool dryRun, CancellationToken ct)
    {
        var manifest = staging.ManifestFor(Staged, viewer.Actor)!;
        Options = new ImportOptions(dryRun, AsDraft, AddOrganisations && viewer.IsFrameworkAdministrator);
        Report = await importer.RunAsync(await System.IO.File.ReadAllBytesAsync(manifest, ct), Path.GetDirectoryName(manifest)!, viewer, Options, null, ct);
        foreach (var problem in Report.ManifestProblems.Where(p => !p.IsWarning)) Errors.Add("upload", problem.ToString());
        if (!dryRun || !Report.CanRun) staging.Delete(Staged!);
        return Page();
    }
}
