using System.Security.Cryptography;
using System.Text;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Shared;
using Concordat.Templates.Departures;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Templates.Drafting;

/// <summary>
/// Check your answers, with the agreement as they render it. Creating it makes the register record from the answers
/// and stores the rendered agreement as its document, marked as built on the template version. While the agreement is
/// still a draft in the register, changing the answers and updating it here keeps its record and documents in step.
/// </summary>
public sealed class DraftCheckModel(ConcordatDb db, Viewer viewer, AgreementCommands commands, FileUploader uploader, DepartureCommands departures, TimeProvider clock)
    : DraftPage(db, viewer)
{
    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        CheckAnswers();
        if (Errors.Count > 0) return Page();

        var agreement = InRegister;
        if (agreement is null)
        {
            (agreement, var errors) = await commands.CreateAsync(DraftAnswers.ToRecord(Template, Draft, Draft.Answers), Viewer, ct);
            AddErrors(errors);
            if (agreement is null) return Page();
        }
        else
        {
            // Only what the answers say is replaced: what was added to the record since (themes, boroughs) stays.
            AddErrors(await commands.UpdateAsync(agreement, DraftAnswers.ToRecord(Template, Draft, Draft.Answers, agreement.ToInput()), Viewer, ct));
            if (Errors.Count > 0) return Page();
        }
        agreement.TemplateReference = $"{Template.Name}, version {Version.Number}";
        await StoreDocumentsAsync(agreement, ct);
        await departures.RecordAsync(agreement, Document, Viewer, ct);
        Draft.AgreementId = agreement.Id;
        Draft.UpdatedAt = clock.GetUtcNow();
        await Db.SaveChangesAsync(ct);
        TempData["Notice"] = InRegister is null
            ? $"The agreement is in the register as a draft, built on {agreement.TemplateReference}."
            : "The agreement's record and documents now say what the answers say.";
        if (agreement.DepartsFromTemplate) TempData["Notice"] += " Its wording departs from the template, so framework approvers must approve the change before it is sent for sign-off.";
        return Redirect($"/agreements/{agreement.Id}");
    }

    void AddErrors(FieldErrors errors)
    {
        foreach (var (field, messages) in errors)
            foreach (var message in messages) Errors.Add(field, message);
    }

    /// <summary>
    /// The agreement in two forms from one source: HTML to read and print, Word to work on and sign. Made again, as new
    /// versions of the same two files, only when the text has changed, so an unchanged draft does not start a new version.
    /// </summary>
    async Task StoreDocumentsAsync(Agreement agreement, CancellationToken ct)
    {
        var html = Encoding.UTF8.GetBytes(Document.Html());
        var generated = agreement.Files.Where(f => f.Kind == FileKind.Agreement).ToList();
        AgreementFile? Existing(string extension) => generated.FirstOrDefault(f => AgreementPageModel.Latest(f).FileName.EndsWith("." + extension, StringComparison.Ordinal));
        if (Existing("html") is { } current && AgreementPageModel.Latest(current).Sha256 == Convert.ToHexStringLower(SHA256.HashData(html))) return;
        foreach (var (bytes, extension) in new[] { (html, "html"), (Document.Word(), "docx") })
        {
            await using var content = new MemoryStream(bytes);
            var (_, failure) = await uploader.UploadAsync(agreement, Existing(extension), FileKind.Agreement, content, Document.FileName(extension), Viewer.Actor, ct);
            if (failure is not null) throw new InvalidOperationException($"The generated {extension} was refused: {failure.Title}. {failure.Detail}");
        }
    }

    /// <summary>Required questions unanswered, and answers that contradict each other, each linked to its page.</summary>
    void CheckAnswers()
    {
        for (var i = 0; i < Topics.Count; i++)
            foreach (var q in Topics[i].Where(q => q.Required && !Draft.Answers.ContainsKey(q.Key)))
                Errors.Add($"{i + 1}:{DraftAnswers.FieldId(q)}", $"Answer “{q.Label}”");
        if (Draft.Answers.GetValueOrDefault("start_date") is { } start && Draft.Answers.GetValueOrDefault("review_date") is { } review
            && string.CompareOrdinal(review, start) <= 0)
            Errors.Add($"{TopicOf("review_date")}:{DraftAnswers.FieldId(Version.Questions.Single(q => q.Key == "review_date"))}", "The review date must be after the start date");
        if (DraftAnswers.Parties(Draft.Answers.GetValueOrDefault("parties")).All(p => p.OrganisationId != Draft.LeadOrganisationId) && Draft.Answers.ContainsKey("parties"))
            Errors.Add($"{TopicOf("parties")}:{DraftAnswers.PartyFieldId(Version.Questions.Single(q => q.Key == "parties"), 0, "organisation")}",
                $"Add {OrganisationNames.GetValueOrDefault(Draft.LeadOrganisationId)}, the lead organisation, as a party");
    }

    int TopicOf(string key) => Topics.Select((t, i) => (t, i)).First(x => x.t.Any(q => q.Key == key)).i + 1;

    /// <summary>Errors are keyed "topic:field", so each links to the field on its own page.</summary>
    public IReadOnlyList<(string? Href, string Message)> ErrorLinks =>
        Errors.SelectMany(kv => kv.Value.Select(m => (kv.Key.Contains(':') ? $"/drafts/{Draft.Id}/topics/{kv.Key.Split(':')[0]}?return=check#{kv.Key.Split(':')[1]}" : (string?)null, m))).ToList();
}
