using Concordat.Data;
using Concordat.Documents;
using Concordat.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Concordat.Agreements;

/// <summary>
/// Serves files and their text to whoever may see the agreement. A version the user may not see
/// answers 404 exactly like one that does not exist, so guessing ids reveals nothing.
/// </summary>
public static class FileDownloads
{
    public static void MapFileDownloads(this IEndpointRouteBuilder app)
    {
        // The pages' download links (cookie sign-in); the API has the same under /api/v1/documents.
        app.MapGet("/files/{id:int}", (int id, Viewer viewer, ConcordatDb db, IBlobStore blobs, TimeProvider clock, CancellationToken ct)
            => ContentAsync(id, viewer, db, blobs, clock, ct)).ExcludeFromDescription();
        app.MapGet("/files/{id:int}/text", (int id, Viewer viewer, ConcordatDb db, CancellationToken ct)
            => TextAsync(id, viewer, db, ct)).ExcludeFromDescription();
    }

    public static async Task<IResult> ContentAsync(int id, Viewer viewer, ConcordatDb db, IBlobStore blobs, TimeProvider clock, CancellationToken ct)
    {
        var found = await db.FileVersions.AsNoTracking().VisibleTo(viewer).Where(v => v.Id == id)
            .Select(v => new
            {
                Version = v, v.File!.Agreement!.Reference, v.File.Agreement.LeadOrganisationId,
                Public = v.File.Agreement.PublishedAt != null && v.File.Agreement.Visibility == Visibility.Public
                    && (v.File.Visibility == null || v.File.Visibility == Visibility.Public),
            })
            .SingleOrDefaultAsync(ct);
        if (found is null) return NotFound();
        var version = found.Version;
        if (!found.Public)
        {
            // Who read a file the public cannot see is part of the trail.
            Audit.AuditTrail.Record(db, viewer.Actor, "file.downloaded", AgreementCommands.Subject(found.Reference),
                new { fileVersionId = version.Id, version.FileName, version.Sha256 }, clock, found.LeadOrganisationId);
            await db.SaveChangesAsync(ct);
        }
        Stream content;
        try
        {
            content = await blobs.OpenVerifiedAsync(version.Sha256, ct);
        }
        catch (BlobCorruptException)
        {
            // Our fault, not the user's: say so plainly and never serve altered bytes.
            return Results.Problem(statusCode: 500, title: "The stored file failed its integrity check",
                detail: "The file no longer matches the fingerprint recorded when it was uploaded. The service team has been told.");
        }
        return new AttachmentResult(content, version.MediaType, version.FileName, version.Sha256);
    }

    public static async Task<IResult> TextAsync(int id, Viewer viewer, ConcordatDb db, CancellationToken ct)
    {
        var version = await db.FileVersions.AsNoTracking().VisibleTo(viewer).SingleOrDefaultAsync(v => v.Id == id, ct);
        if (version is null) return NotFound();
        var text = await db.FileTexts.AsNoTracking().Where(t => t.Sha256 == version.Sha256).Select(t => t.Text).SingleOrDefaultAsync(ct);
        return Results.Text(text ?? "", "text/plain; charset=utf-8");
    }

    static IResult NotFound() => Results.Problem(statusCode: 404, title: "Not found", detail: "There is no file with that id that you can see.");

    /// <summary>Always an attachment, never rendered in our origin: an uploaded HTML file cannot run script here.</summary>
    sealed class AttachmentResult(Stream content, string mediaType, string fileName, string sha256) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            await using var _ = content;
            var headers = http.Response.Headers;
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(fileName);
            headers.ContentDisposition = disposition.ToString();
            headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
            headers.ETag = $"\"{sha256}\"";
            headers.CacheControl = "private, no-cache";
            http.Response.ContentType = mediaType;
            http.Response.ContentLength = content.Length;
            await content.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
    }
}
