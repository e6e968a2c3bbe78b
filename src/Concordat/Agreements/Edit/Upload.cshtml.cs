using Concordat.Data;
using Concordat.Documents;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Agreements.Edit;

/// <summary>Adds a file to an agreement, or a new version of one of its files (?file=id).</summary>
public sealed class UploadModel(ConcordatDb db, FileUploader uploader, Viewer viewer, TimeProvider clock) : FormPage
{
    [FromQuery(Name = "file")] public int? FileId { get; set; }
    [BindProperty] public string? Kind { get; set; }
    /// <summary>Empty follows the agreement; otherwise narrower (partners, parties-only).</summary>
    [BindProperty] public string? FileVisibility { get; set; }
    public Agreement Agreement { get; private set; } = null!;
    public AgreementFile? ExistingFile { get; private set; }
    public long MaxBytes => uploader.MaxBytes;

    /// <summary>The lead's editors add the agreement document itself; a party's editors add their organisation's other documents.</summary>
    public bool MayAddAgreementDocument => AgreementAccess.MayChangeEverything(viewer, Agreement.LeadOrganisationId);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return StatusCode(await AgreementRefusal.StatusAsync(db, viewer, id, "upload", clock, ct));
        if (ExistingFile is not null && await AgreementRefusal.FileAsync(db, viewer, Agreement, ExistingFile, ExistingFile.Kind, clock, ct) is not null)
            return StatusCode(StatusCodes.Status403Forbidden);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, IFormFile? upload, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return StatusCode(await AgreementRefusal.StatusAsync(db, viewer, id, "upload", clock, ct));
        var kind = ExistingFile?.Kind ?? FileKind.Agreement;
        if (ExistingFile is null && !EnumSlug<FileKind>.TryParse(Kind, out kind))
            Errors.Add("kind", "Select what kind of document this is");
        Visibility? visibility = null;
        if (ExistingFile is null && !string.IsNullOrEmpty(FileVisibility))
        {
            if (EnumSlug<Visibility>.TryParse(FileVisibility, out var parsed)) visibility = parsed;
            else Errors.Add("fileVisibility", "Select who may see this file");
        }
        if (upload is null || upload.Length == 0 && string.IsNullOrEmpty(upload.FileName))
            Errors.Add("upload", "Select a file to upload");
        if (Errors.Count == 0 && await AgreementRefusal.FileAsync(db, viewer, Agreement, ExistingFile, kind, clock, ct) is { } refused)
        {
            Errors.Add(refused.Field == "file" ? "upload" : refused.Field, refused.Message);
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        if (Errors.Count > 0) return Page();

        await using var stream = upload!.OpenReadStream();
        var (version, failure) = await uploader.UploadAsync(Agreement, ExistingFile, kind, stream, upload.FileName, viewer.Actor, ct, visibility,
            AgreementAccess.ContributorFor(viewer, Agreement));
        if (failure is not null)
        {
            Errors.Add("upload", $"{failure.Title}. {failure.Detail}");
            Response.StatusCode = failure.Status;
            return Page();
        }
        TempData["Notice"] = $"Uploaded {version!.FileName}" + (version.HasText ? "." : ". It has no text layer, so its words cannot be searched.");
        return Redirect($"/agreements/{id}#file-{version.AgreementFileId}");
    }

    async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindForEditAsync(db, viewer, id, ct);
        if (agreement is null) return false;
        Agreement = agreement;
        if (FileId is int fileId)
        {
            ExistingFile = agreement.Files.FirstOrDefault(f => f.Id == fileId);
            if (ExistingFile is null) return false;
        }
        return true;
    }
}
