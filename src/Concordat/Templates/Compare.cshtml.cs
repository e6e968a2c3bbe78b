using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates;

/// <summary>Two versions of a template side by side in one text: each section's wording with what was removed and added marked.</summary>
public sealed class TemplateCompareModel(ConcordatDb db, Viewer viewer) : PageModel
{
    public AgreementTemplate Template { get; private set; } = null!;
    public TemplateVersion From { get; private set; } = null!;
    public TemplateVersion To { get; private set; } = null!;
    public IReadOnlyList<SectionChange> Changes { get; private set; } = [];

    public sealed record SectionChange(string Heading, bool Changed, IHtmlContent Clause, IHtmlContent? Guidance);

    public async Task<IActionResult> OnGetAsync(int id, [FromQuery] int from, [FromQuery] int to, CancellationToken ct)
    {
        var template = await db.Templates.AsNoTracking().Include(t => t.Versions).SingleOrDefaultAsync(t => t.Id == id, ct);
        var (older, newer) = (template?.Versions.SingleOrDefault(v => v.Number == from), template?.Versions.SingleOrDefault(v => v.Number == to));
        if (template is null || older is null || newer is null || !TemplateAccess.MaySee(viewer, older) || !TemplateAccess.MaySee(viewer, newer)) return NotFound();
        (Template, From, To) = (template, older, newer);
        var keys = older.Sections.Select(s => s.Key).Union(newer.Sections.Select(s => s.Key));
        Changes = keys.Select(key =>
        {
            var (a, b) = (older.Sections.SingleOrDefault(s => s.Key == key), newer.Sections.SingleOrDefault(s => s.Key == key));
            var heading = (b ?? a)!.Heading + (a is null ? " (new section)" : b is null ? " (section removed)" : "");
            var clauseChanged = a?.Clause != b?.Clause;
            var guidanceChanged = a?.Guidance != b?.Guidance;
            return new SectionChange(heading, clauseChanged || guidanceChanged || a?.Locked != b?.Locked,
                WordDiff.Html(a?.Clause ?? "", b?.Clause ?? ""), guidanceChanged ? WordDiff.Html(a?.Guidance ?? "", b?.Guidance ?? "") : null);
        }).ToList();
        return Page();
    }
}
