using System.Security.Cryptography;
using System.Text;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Shared;
using Concordat.Templates.Departures;

namespace Concordat.Templates.Drafting;

/// <summary>
/// A draft into the register: the record filled from the answers, the agreement stored as HTML and Word from one
/// source, marked as built on the template version, and any departure from its fixed wording recorded. Run again
/// while the agreement is a draft, it brings the same record and files up to date, so they never disagree.
/// </summary>
public sealed class DraftCommands(ConcordatDb db, AgreementCommands commands, FileUploader uploader, DepartureCommands departures, TimeProvider clock)
{
    /// <param name="inRegister">the agreement the draft made before, loaded with its parties, flows and files; null the first time</param>
    /// <param name="tellApprovers">whether to email the framework's approvers of a departure from fixed wording (not for demo data)</param>
    public async Task<(Agreement? Agreement, FieldErrors Errors)> SaveToRegisterAsync(AgreementTemplate template, AgreementDraft draft, Agreement? inRegister,
        DraftDocument document, Viewer viewer, bool tellApprovers, CancellationToken ct)
    {
        var agreement = inRegister;
        if (agreement is null)
        {
            (agreement, var errors) = await commands.CreateAsync(DraftAnswers.ToRecord(template, draft, draft.Answers), viewer, ct);
            if (agreement is null) return (null, errors);
        }
        else
        {
            // Only what the answers say is replaced: what was added to the record since (themes, boroughs) stays.
            var result = await commands.UpdateAsync(agreement, DraftAnswers.ToRecord(template, draft, draft.Answers, agreement.ToInput()), viewer, ct);
            if (!result.Saved) return (null, result.Errors);
        }
        agreement.TemplateReference = $"{template.Name}, version {draft.TemplateVersion!.Number}";
        await StoreDocumentsAsync(agreement, document, viewer, ct);
        var departing = await departures.RecordAsync(agreement, document, viewer, ct);
        draft.AgreementId = agreement.Id;
        draft.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        if (departing && tellApprovers) await departures.TellApproversAsync(agreement, ct);
        return (agreement, new FieldErrors());
    }

    /// <summary>
    /// The agreement in two forms from one source: HTML to read and print, Word to work on and sign. Made again, as new
    /// versions of the same two files, only when the text has changed, so an unchanged draft does not start a new version.
    /// </summary>
    async Task StoreDocumentsAsync(Agreement agreement, DraftDocument document, Viewer viewer, CancellationToken ct)
    {
        var html = Encoding.UTF8.GetBytes(document.Html());
        var generated = agreement.Files.Where(f => f.Kind == FileKind.Agreement).ToList();
        AgreementFile? Existing(string extension) => generated.FirstOrDefault(f => AgreementPageModel.Latest(f).FileName.EndsWith("." + extension, StringComparison.Ordinal));
        if (Existing("html") is { } current && AgreementPageModel.Latest(current).Sha256 == Convert.ToHexStringLower(SHA256.HashData(html))) return;
        foreach (var (bytes, extension) in new[] { (html, "html"), (document.Word(), "docx") })
        {
            await using var content = new MemoryStream(bytes);
            var (_, failure) = await uploader.UploadAsync(agreement, Existing(extension), FileKind.Agreement, content, document.FileName(extension), viewer.Actor, ct);
            if (failure is not null) throw new InvalidOperationException($"The generated {extension} was refused: {failure.Title}. {failure.Detail}");
        }
    }
}
