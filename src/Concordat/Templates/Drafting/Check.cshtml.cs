using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Templates.Drafting;

/// <summary>
/// Check your answers, with the agreement as they render it. Creating it makes the register record from the answers
/// and stores the rendered agreement as its document, marked as built on the template version. While the agreement is
/// still a draft in the register, changing the answers and updating it here keeps its record and documents in step.
/// </summary>
public sealed class DraftCheckModel(ConcordatDb db, Viewer viewer, DraftCommands drafts)
    : DraftPage(db, viewer)
{
    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        CheckAnswers();
        if (Errors.Count > 0) return Page();

        var (agreement, errors) = await drafts.SaveToRegisterAsync(Template, Draft, InRegister, Document, Viewer, tellApprovers: true, ct);
        if (agreement is null)
        {
            foreach (var (field, messages) in errors)
                foreach (var message in messages) Errors.Add(field, message);
            return Page();
        }
        TempData["Notice"] = InRegister is null
            ? $"The agreement is in the register as a draft, built on {agreement.TemplateReference}."
            : "The agreement's record and documents now say what the answers say.";
        if (agreement.DepartsFromTemplate) TempData["Notice"] += " Its wording departs from the template, so framework approvers must approve the change before it is sent for sign-off.";
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
}
