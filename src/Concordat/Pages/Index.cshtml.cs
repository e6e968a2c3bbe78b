using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Pages;

public sealed class HomeModel(ConcordatDb db, Viewer viewer) : PageModel
{
    public int Agreements { get; private set; }
    public int Drafts { get; private set; }
    public int Organisations { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var visible = db.Agreements.VisibleTo(viewer);
        Agreements = await visible.CountAsync(a => a.PublishedAt != null, ct);
        Drafts = await visible.CountAsync(a => a.PublishedAt == null, ct);
        Organisations = await db.Organisations.CountAsync(ct);
    }
}
