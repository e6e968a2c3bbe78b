using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Templates.Drafting;

/// <summary>One page of questions (one topic). Continue checks and saves this page's answers, then goes on.</summary>
public sealed class DraftTopicModel(ConcordatDb db, Viewer viewer, TimeProvider clock) : DraftPage(db, viewer)
{
    public int Number { get; private set; }
    public IGrouping<string, TemplateQuestion> Topic => Topics[Number - 1];
    /// <summary>"check" when the person came to change an answer from the check page, so they go back there.</summary>
    [FromQuery(Name = "return")] public string? Return { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, int topic, CancellationToken ct) => await LoadTopicAsync(id, topic, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, int topic, CancellationToken ct)
    {
        if (!await LoadTopicAsync(id, topic, ct)) return NotFound();
        var (answers, errors) = DraftAnswers.Read(Topic, Request.Form, OrganisationNames.Keys.ToHashSet());
        foreach (var (field, messages) in errors)
            foreach (var message in messages) Errors.Add(field, message);
        if (Errors.Count > 0) return Page();
        foreach (var question in Topic) Draft.Answers.Remove(question.Key); // an optional answer cleared is cleared
        foreach (var (key, value) in answers) Draft.Answers[key] = value;
        Draft.Answers = new Dictionary<string, string>(Draft.Answers); // a new instance, so the change is seen and saved
        Draft.UpdatedAt = clock.GetUtcNow();
        await Db.SaveChangesAsync(ct);
        return Redirect(Return == "check" || Number == Topics.Count ? $"/drafts/{id}/check" : $"/drafts/{id}/topics/{Number + 1}");
    }

    /// <summary>
    /// The sections this page's answers appear in, rendered with what the form holds now and nothing saved: the page's
    /// script asks for it as the person types. An answer that would be refused is left as it was.
    /// </summary>
    public async Task<IActionResult> OnPostPreviewAsync(int id, int topic, CancellationToken ct)
    {
        if (!await LoadTopicAsync(id, topic, ct)) return NotFound();
        var (answers, errors) = DraftAnswers.Read(Topic, Request.Form, OrganisationNames.Keys.ToHashSet());
        bool Refused(TemplateQuestion q) => errors.Keys.Any(field => field == DraftAnswers.FieldId(q)
            || (q.Type == QuestionType.OrganisationsWithRoles && field.StartsWith(DraftAnswers.FieldId(q) + "-", StringComparison.Ordinal)));
        var merged = new Dictionary<string, string>(Draft.Answers);
        foreach (var question in Topic.Where(q => !Refused(q))) merged.Remove(question.Key); // cleared unless answered below
        foreach (var (key, value) in answers) merged[key] = value;
        var unsaved = new AgreementDraft { TemplateVersion = Version, LeadOrganisationId = Draft.LeadOrganisationId, UserId = Draft.UserId, Answers = merged, Wording = Draft.Wording };
        return Content(SectionsHtml(new DraftDocument(Template, unsaved, OrganisationNames)), "text/html");
    }

    /// <summary>The sections that read this page's questions, as the saved answers make them (the preview before any typing).</summary>
    public string PreviewHtml => SectionsHtml(Document);

    string SectionsHtml(DraftDocument document)
    {
        var keys = Topic.Select(q => q.Key).ToHashSet();
        return document.SectionsHtml(3, s => Clauses.VariablesOf(s.Section.Clause).Overlaps(keys));
    }

    /// <summary>What a field shows: what was just posted (when the page comes back with errors), else the saved answer.</summary>
    public string? Value(string name, string? saved) =>
        Request.HasFormContentType && Request.Form.ContainsKey(name) ? Request.Form[name].ToString() : saved;

    async Task<bool> LoadTopicAsync(int id, int topic, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || topic < 1 || topic > Topics.Count) return false;
        Number = topic;
        return true;
    }
}
