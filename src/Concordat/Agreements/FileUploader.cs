using Concordat.Data;
using Concordat.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Concordat.Agreements;

/// <summary>Why an upload was refused, as an HTTP status and words a person can act on.</summary>
public sealed record UploadFailure(int Status, string Title, string Detail);

/// <summary>
/// The one upload path (pages, API, import, demo data, benchmark): stream to a staged blob while hashing,
/// decide the type from the content, extract the text, then commit the blob and only after that
/// save the record. A failure at any step deletes the staged file; a crash between the blob commit
/// and the save leaves an unreferenced blob that <see cref="BlobSweeper"/> removes. So no record ever
/// points at a missing file.
/// </summary>
public sealed class FileUploader(
    ConcordatDb db, IBlobStore blobs, FileTypeDetector detector, TextExtractor extractor, IOptions<DocumentOptions> options,
    TextRecognitionSignal recognition, TimeProvider clock, ILogger<FileUploader> logger)
{
    public long MaxBytes => options.Value.MaxUploadBytes;

    /// <param name="existing">the file to add a version to, or null to add a new file of <paramref name="kind"/></param>
    public async Task<(FileVersion? Version, UploadFailure? Failure)> UploadAsync(
        Agreement agreement, AgreementFile? existing, FileKind kind, Stream content, string? originalName, string? user, CancellationToken ct,
        Visibility? visibility = null, int? contributedBy = null)
    {
        var (prepared, failure) = await PrepareAsync(content, originalName, ct);
        if (prepared is null) return (null, failure);
        await using (prepared) return await SaveAsync(prepared, agreement, existing, kind, user, ct, visibility, contributedBy);
    }

    /// <summary>
    /// The first half of an upload: stages the bytes, decides the type and reads the text, committing nothing. An import
    /// prepares every file of an agreement before it saves any, so a file that cannot be read leaves no blob behind.
    /// </summary>
    public async Task<(PreparedUpload? Prepared, UploadFailure? Failure)> PrepareAsync(Stream content, string? originalName, CancellationToken ct)
    {
        StagedBlob staged;
        try
        {
            staged = await blobs.StageAsync(content, options.Value.MaxUploadBytes, ct);
        }
        catch (FileTooLargeException)
        {
            return (null, TooLarge());
        }
        // The fsync of the staged file runs on the other core while the text is extracted.
        var durable = blobs.FlushAsync(staged, ct);
        var (read, failure) = await ReadAsync(staged.TempPath, originalName, ct);
        if (failure is null) return (new PreparedUpload(staged, durable, read!.Value.Type, read.Value.Text, originalName), null);
        // The reason and the file's fingerprint, never its name or content: either may carry personal data.
        logger.LogWarning("Upload refused with {Status}: {Title}. {Detail} (SHA-256 {Sha256}, {Bytes} bytes)",
            failure!.Status, failure.Title, failure.Detail, staged.Sha256, staged.SizeBytes);
        try { await durable; } catch (Exception e) when (e is IOException or OperationCanceledException) { }
        await staged.DisposeAsync();
        return (null, failure);
    }

    /// <summary>The second half: commits the prepared blob and saves the version, its text and the audit event.</summary>
    public async Task<(FileVersion? Version, UploadFailure? Failure)> SaveAsync(
        PreparedUpload prepared, Agreement agreement, AgreementFile? existing, FileKind kind, string? user, CancellationToken ct, Visibility? visibility = null,
        int? contributedBy = null)
    {
        var (staged, durable, type, text, originalName) = prepared;
        var now = clock.GetUtcNow();
        var file = existing ?? new AgreementFile { Kind = kind, Visibility = visibility, CreatedAt = now, ContributedByOrganisationId = contributedBy };
        var version = new FileVersion
        {
            Number = await NextVersionNumberAsync(existing, ct),
            FileName = SafeFileName.From(originalName, type.Extension, type.MisleadingExtensions),
            MediaType = type.MediaType,
            Sha256 = staged.Sha256,
            SizeBytes = staged.SizeBytes,
            PageCount = text.PageCount,
            HasText = text.HasText,
            TextSource = text.Source,
            UploadedAt = now,
            UploadedBy = user,
        };
        file.Versions.Add(version);
        if (existing is null) agreement.Files.Add(file);
        if (text.HasText && !await db.FileTexts.AnyAsync(t => t.Sha256 == staged.Sha256, ct))
            db.FileTexts.Add(new FileText { Sha256 = staged.Sha256, Text = text.Text });
        agreement.UpdatedAt = now;
        Audit.AuditTrail.Record(db, user ?? "unknown", "file.uploaded", AgreementCommands.Subject(agreement), new
        {
            agreement.Reference, kind = file.Kind.Slug(), newFile = existing is null, visibility = file.Visibility?.Slug(), contributedBy = file.ContributedByOrganisationId, version.FileName,
            version.MediaType, version.SizeBytes, version.Sha256, version.PageCount, version.HasText,
        }, clock, agreement.LeadOrganisationId);

        await durable; // as late as possible, so the fsync overlaps the lookups above too
        await blobs.CommitAsync(staged, ct);
        // From here a failure leaves at worst a blob no record points at, which the sweeper removes
        // after its grace period. It is never deleted here: a concurrent upload of the same content
        // may be about to point at it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && attempt < 3)
            {
                // Another upload of the same text, or of this file's next version, saved first.
                var addedText = db.ChangeTracker.Entries<FileText>().FirstOrDefault(e => e.State == EntityState.Added && e.Entity.Sha256 == staged.Sha256);
                if (addedText is not null && await db.FileTexts.AsNoTracking().AnyAsync(t => t.Sha256 == staged.Sha256, ct))
                    addedText.State = EntityState.Detached;
                version.Number = await NextVersionNumberAsync(existing, ct);
            }
            catch (DbUpdateException e)
            {
                logger.LogWarning(e, "Upload of {Sha} to {Reference} lost a race three times", staged.Sha256, agreement.Reference);
                db.ChangeTracker.Clear();
                return (null, new UploadFailure(StatusCodes.Status409Conflict, "Another upload happened at the same time", "Nothing was saved. Upload the file again."));
            }
        }
        logger.LogInformation("Stored {FileName} ({Bytes} bytes, {Sha}) on {Reference}", version.FileName, version.SizeBytes, version.Sha256, agreement.Reference);
        if (version.TextSource == TextSource.Pending) recognition.Raise();
        return (version, null);
    }

    /// <summary>1 for a new file; otherwise one more than the file's highest saved version.</summary>
    async Task<int> NextVersionNumberAsync(AgreementFile? existing, CancellationToken ct) => existing is null ? 1
        : (await db.FileVersions.Where(v => v.AgreementFileId == existing.Id).MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;

    /// <summary>Detects the type from the content and extracts the text, or says why the file is refused.</summary>
    async Task<((DetectedFileType Type, ExtractedText Text)? Read, UploadFailure? Failure)> ReadAsync(string path, string? originalName, CancellationToken ct)
    {
        try
        {
            var type = detector.Detect(path, originalName);
            return ((type, await extractor.ExtractAsync(path, type, ct)), null);
        }
        catch (EmptyFileException)
        {
            return (null, new UploadFailure(StatusCodes.Status422UnprocessableEntity, "The file is empty", "The selected file has no content. Choose the agreement document itself."));
        }
        catch (UnsupportedFileTypeException e)
        {
            return (null, new UploadFailure(StatusCodes.Status415UnsupportedMediaType, "This type of file cannot be uploaded", e.Message));
        }
        catch (UnreadableDocumentException e)
        {
            return (null, new UploadFailure(StatusCodes.Status422UnprocessableEntity, "The file could not be read", e.Message));
        }
        catch (DocumentTooLargeException e)
        {
            return (null, new UploadFailure(StatusCodes.Status422UnprocessableEntity, "The file expands to more than Concordat will read", e.Message));
        }
    }

    public UploadFailure TooLarge()
    {
        // Refused before the whole body was read, so there is no fingerprint to log.
        logger.LogWarning("Upload refused with 413: over the {Limit} byte limit", options.Value.MaxUploadBytes);
        return new(StatusCodes.Status413PayloadTooLarge, "The file is too large", $"The file must be smaller than {options.Value.MaxUploadBytes / (1024 * 1024)} MB.");
    }
}

/// <summary>A file staged and read but not yet saved (<see cref="FileUploader.PrepareAsync"/>); disposing it deletes the staged bytes unless saved.</summary>
public sealed record PreparedUpload(StagedBlob Staged, Task Durable, DetectedFileType Type, ExtractedText Text, string? OriginalName) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        // The staged file's fsync may still be running when an unsaved upload is dropped: let it finish before the file goes.
        try { await Durable; } catch (Exception e) when (e is IOException or OperationCanceledException) { }
        await Staged.DisposeAsync();
    }
}
