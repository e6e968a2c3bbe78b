using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates;

/// <summary>
/// One template version as a drafter would meet it: its questions by topic, and each section's clause rendered with
/// placeholders where the answers go, beside the guidance and whether its wording may be changed.
/// </summary>
public sealed class TemplatePageModel(ConcordatDb db, Viewer viewer) : PageModel
{
    public AgreementTemplate Template { get; private set; } = null!;
    public TemplateVersion Version { get; private set; } = null!;
    /// <summary>Every version the viewer may see, newest first.</summary>
    public IReadOnlyList<TemplateVersion> Versions { get; private set; } = [];
    public IReadOnlyList<(TemplateSection Section, IHtmlContent Clause)> Sections { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, [FromQuery(Name = "version")] int? number, CancellationToken ct)
    {
        var template = await db.Templates.AsNoTracking().Include(t => t.Versions).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (template is null) return NotFound();
        var version = number is null ? TemplateAccess.Current(template, viewer) : template.Versions.SingleOrDefault(v => v.Number == number);
        if (version is null || !TemplateAccess.MaySee(viewer, version)) return NotFound();
        (Template, Version) = (template, version);
        Versions = template.Versions.Where(v => TemplateAccess.MaySee(viewer, v)).OrderByDescending(v => v.Number).ToList();
        var answers = ClauseAnswers.Placeholders(version.Questions, template.Type == TemplateType.OverarchingAccord ? "accord" : "agreement");
        Sections = version.Sections.Select(s => (s, (IHtmlContent)new HtmlString(ClauseHtml.From(Clauses.Render(s.Clause, answers))))).ToList();
        return Page();
    }
}
