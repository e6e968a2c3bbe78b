using Concordat.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Concordat.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements.Portfolios;

public sealed record OrganisationRow(int Id, string Name, OrganisationType Type, string? GssCode, string? OdsCode, int Agreements);

public sealed class OrganisationsModel(ConcordatDb db, Viewer viewer) : PageModel
{
    public IReadOnlyList<IGrouping<OrganisationType, OrganisationRow>> Groups { get; private set; } = [];
    public bool CanAdd => viewer.IsFrameworkAdministrator && viewer.MayChange;

    public async Task OnGetAsync(CancellationToken ct)
    {
        // Counts only what this person may see: a count is a disclosure too.
        var visible = db.Agreements.VisibleTo(viewer);
        var rows = await db.Organisations.AsNoTracking()
            .Select(o => new OrganisationRow(o.Id, o.Name, o.Type, o.GssCode, o.OdsCode,
                visible.Count(a => a.LeadOrganisationId == o.Id || a.Parties.Any(p => p.OrganisationId == o.Id))))
            .ToListAsync(ct);
        Groups = rows.OrderBy(r => r.Type).ThenBy(r => r.GssCode ?? "~").ThenBy(r => r.Name).GroupBy(r => r.Type).ToList();
    }
}
