using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Templates;

/// <summary>
/// Editing the questions of a template's draft version, for framework administrators: their wording and pages, their
/// kinds of answer, and new ones. Saved only when every clause still reads questions the version has.
/// </summary>
public sealed class TemplateQuestionsModel(TemplateCommands commands, Viewer viewer) : TemplateDraftPage(commands, viewer)
{
    /// <summary>The existing questions in order, then one row to add a question.</summary>
    [BindProperty] public List<QuestionInput> Questions { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused) return refused;
        Questions = [.. Draft.Questions.Select(QuestionInput.From), new QuestionInput { Options = ["required"] }];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused) return refused;
        while (Questions.Count <= Draft.Questions.Count) Questions.Add(new QuestionInput()); // a form posted short changes nothing it left out
        // One question is added at a time: rows posted beyond the page's are not read.
        var (questions, errors) = QuestionForm.Read(Draft.Questions, Questions.Take(Draft.Questions.Count + 1).ToList());
        foreach (var (field, messages) in errors)
            foreach (var message in messages) Errors.Add(field, message);
        if (Errors.Count == 0)
            foreach (var problem in await Commands.SaveQuestionsAsync(Template, Draft, questions, Viewer, ct))
                Errors.Add("questions", problem.SectionKey.Length == 0 ? problem.Message
                    : $"Section {Draft.Sections.FindIndex(s => s.Key == problem.SectionKey) + 1}, {problem}. Change the clause first, or keep the question.");
        if (Errors.Count > 0) return Page();
        TempData["Notice"] = $"The questions of version {Draft.Number} are saved. Send it for review when it is ready.";
        return Redirect($"/templates/{id}?version={Draft.Number}");
    }

    /// <summary>Whether the register record is filled from this question, so only its wording and page can change.</summary>
    public static bool FillsRecord(string? key) => key is not null && Drafting.DraftAnswers.RecordQuestions.Contains(key);
}
