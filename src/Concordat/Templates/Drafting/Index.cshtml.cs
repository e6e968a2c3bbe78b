using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates.Drafting;

/// <summary>The person's drafts, to come back to.</summary>
public sealed class DraftsModel(ConcordatDb db, Viewer viewer) : PageModel
{
    public IReadOnlyList<(AgreementDraft Draft, string Template)> Drafts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var drafts = await db.AgreementDrafts.AsNoTracking().Include(d => d.TemplateVersion).ThenInclude(v => v!.Template)
            .Where(d => d.UserId == viewer.UserId).OrderByDescending(d => d.Id).ToListAsync(ct);
        Drafts = drafts.Select(d => (d, $"{d.TemplateVersion!.Template!.Name}, version {d.TemplateVersion.Number}")).ToList();
    }
}
