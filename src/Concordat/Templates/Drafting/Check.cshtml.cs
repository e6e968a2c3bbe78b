using System.Text;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Templates.Drafting;

/// <summary>
/// Check your answers, with the agreement as they render it. Creating it makes the register record from the answers
/// and stores the rendered agreement as its document, marked as built on the template version.
/// </summary>
public sealed class DraftCheckModel(ConcordatDb db, Viewer viewer, AgreementCommands commands, FileUploader uploader, TimeProvider clock)
    : DraftPage(db, viewer)
{
    public IHtmlContent Preview { get; private set; } = HtmlString.Empty;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Prepare();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Prepare();
        CheckAnswers();
        if (Errors.Count > 0) return Page();

        var (agreement, errors) = await commands.CreateAsync(DraftAnswers.ToRecord(Template, Draft, Draft.Answers), Viewer, ct);
        foreach (var (field, messages) in errors)
            foreach (var message in messages) Errors.Add(field, message);
        if (agreement is null) return Page();
        agreement.TemplateReference = $"{Template.Name}, version {Version.Number}";
        // The agreement in two forms from one source: HTML to read and print, Word to work on and sign.
        var word = WordDocument.Create(agreement.Title, Subtitle, RenderedSections());
        foreach (var (bytes, name) in new[] { (Encoding.UTF8.GetBytes(DocumentHtml(agreement.Title)), FileName(agreement.Title, "html")), (word, FileName(agreement.Title, "docx")) })
        {
            await using var document = new MemoryStream(bytes);
            var (_, failure) = await uploader.UploadAsync(agreement, null, FileKind.Agreement, document, name, Viewer.Actor, ct);
            if (failure is not null) throw new InvalidOperationException($"The generated {name} was refused: {failure.Title}. {failure.Detail}");
        }
        Draft.AgreementId = agreement.Id;
        Draft.UpdatedAt = clock.GetUtcNow();
        await Db.SaveChangesAsync(ct);
        TempData["Notice"] = $"The agreement is in the register as a draft, built on {agreement.TemplateReference}.";
        return Redirect($"/agreements/{agreement.Id}");
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

    void Prepare() => Preview = new HtmlString(SectionsHtml());

    IReadOnlyList<(string Heading, string Markdown)>? _rendered;

    /// <summary>Each section's heading and its clause rendered with the answers, once: the one source of the preview, the HTML and the Word document.</summary>
    IReadOnlyList<(string Heading, string Markdown)> RenderedSections()
    {
        if (_rendered is not null) return _rendered;
        var answers = DraftAnswers.ForClauses(Version, Template.Type, Draft.Answers, OrganisationNames);
        return _rendered = Version.Sections.Select(s => (s.Heading, Clauses.Render(s.Clause, answers))).ToList();
    }

    string SectionsHtml() => string.Concat(RenderedSections().Select((s, i) =>
        $"<h2>{i + 1}. {System.Net.WebUtility.HtmlEncode(s.Heading)}</h2>{ClauseHtml.From(s.Markdown)}"));

    /// <summary>The agreement as a document of its own: accessible HTML that prints, from the same source as the preview.</summary>
    string DocumentHtml(string title) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{System.Net.WebUtility.HtmlEncode(title)}</title>
        <style>body{"{"}font-family:Arial,sans-serif;max-width:46em;margin:2em auto;line-height:1.5{"}"} table{"{"}border-collapse:collapse{"}"} td,th{"{"}border:1px solid #505a5f;padding:.3em .6em;text-align:left{"}"}</style></head>
        <body><h1>{System.Net.WebUtility.HtmlEncode(title)}</h1>
        <p>{System.Net.WebUtility.HtmlEncode(Subtitle)}</p>
        {SectionsHtml()}
        </body></html>
        """;

    string Subtitle => $"Drafted from {Template.Name}, version {Version.Number}, pre-approved by the framework.";

    static string FileName(string title, string extension) =>
        new string(title.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-') + "." + extension;
}
