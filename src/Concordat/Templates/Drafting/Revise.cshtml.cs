using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates.Drafting;

/// <summary>From an agreement in the register to the draft it was made from, to change its answers or wording (the draft's pages decide who may).</summary>
public sealed class DraftReviseModel(ConcordatDb db, Viewer viewer) : PageModel
{
    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await db.Agreements.VisibleTo(viewer).AnyAsync(a => a.Id == id, ct)
        && await db.AgreementDrafts.Where(d => d.AgreementId == id).Select(d => (int?)d.Id).FirstOrDefaultAsync(ct) is int draft
            ? Redirect($"/drafts/{draft}/check")
            : NotFound();
}
