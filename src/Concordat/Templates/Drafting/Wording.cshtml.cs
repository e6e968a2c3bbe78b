using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Templates.Drafting;

/// <summary>
/// Changing the wording of one section. The drafter starts from the template's wording with their answers in it. Where
/// the framework fixed the wording, saving a change marks the agreement as departing from the template.
/// </summary>
public sealed class DraftWordingModel(ConcordatDb db, Viewer viewer, TemplateCommands templates, TimeProvider clock) : DraftPage(db, viewer)
{
    public int ApprovalsNeeded => templates.ApprovalsNeeded;
    public DraftSection Section { get; private set; } = null!;
    [BindProperty] public string? Wording { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, string key, CancellationToken ct)
    {
        if (!await LoadSectionAsync(id, key, ct)) return NotFound();
        Wording = Section.Markdown;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, string key, CancellationToken ct)
    {
        if (!await LoadSectionAsync(id, key, ct)) return NotFound();
        var wording = DraftDocument.Normalise(Wording ?? "");
        if (wording.Length == 0) Errors.Add("wording", "Enter the wording of the section, or use the template's wording");
        else if (wording.Length > DraftDocument.MaxWordingLength) Errors.Add("wording", $"The wording must be {DraftDocument.MaxWordingLength:N0} characters or fewer");
        if (Errors.Count > 0) return Page();
        // The template's own words (with the answers in) are not a change of wording, so they keep following the answers.
        return await SaveAsync(key, wording == DraftDocument.Normalise(Section.TemplateWording) ? null : wording, ct);
    }

    public async Task<IActionResult> OnPostTemplateAsync(int id, string key, CancellationToken ct) =>
        await LoadSectionAsync(id, key, ct) ? await SaveAsync(key, null, ct) : NotFound();

    async Task<IActionResult> SaveAsync(string key, string? wording, CancellationToken ct)
    {
        var changed = new Dictionary<string, string>(Draft.Wording); // a new instance, so the change is seen and saved
        if (wording is null) changed.Remove(key);
        else changed[key] = wording;
        Draft.Wording = changed;
        Draft.UpdatedAt = clock.GetUtcNow();
        await Db.SaveChangesAsync(ct);
        return Redirect($"/drafts/{Draft.Id}/check#section-{key}");
    }

    async Task<bool> LoadSectionAsync(int id, string key, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || Document.Sections.FirstOrDefault(s => s.Section.Key == key) is not { } section) return false;
        Section = section;
        return true;
    }
}
