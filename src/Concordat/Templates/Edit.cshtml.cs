using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Templates;

/// <summary>
/// Editing a template, for framework administrators: the clauses and guidance of its draft version (made from the newest
/// version on first save). Every clause is checked on save; nothing is saved while one is wrong.
/// </summary>
public sealed class TemplateEditModel(TemplateCommands commands, Viewer viewer) : TemplateDraftPage(commands, viewer)
{
    [BindProperty] public List<string> Clauses { get; set; } = [];
    [BindProperty] public List<string> Guidance { get; set; } = [];
    [BindProperty] public string? ChangeNote { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused) return refused;
        Clauses = Draft.Sections.Select(s => s.Clause).ToList();
        Guidance = Draft.Sections.Select(s => s.Guidance).ToList();
        ChangeNote = Draft.ChangeNote;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused) return refused;
        var sections = Draft.Sections.Select((_, i) => (Clauses.ElementAtOrDefault(i) ?? "", Guidance.ElementAtOrDefault(i) ?? "")).ToList();
        var problems = await Commands.SaveDraftAsync(Template, Draft, sections, ChangeNote, Viewer, ct);
        foreach (var problem in problems)
        {
            var index = Draft.Sections.FindIndex(s => s.Key == problem.SectionKey);
            if (index < 0) Errors.Add("changeNote", problem.Message); // about the version, not a section
            else Errors.Add(FieldOf(index), $"Section {index + 1}, {problem}");
        }
        if (Errors.Count > 0) return Page();
        TempData["Notice"] = $"Version {Draft.Number} is saved as a draft. Send it for review when it is ready.";
        return Redirect($"/templates/{id}?version={Draft.Number}");
    }

    public static string FieldOf(int section) => $"clause-{section}";
}
