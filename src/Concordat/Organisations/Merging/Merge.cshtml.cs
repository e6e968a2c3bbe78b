using Concordat.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Organisations.Merging;

/// <summary>Framework administrators merge a duplicate organisation into the one to keep.</summary>
[Authorize]
public sealed class MergeModel(ConcordatDb db, OrganisationMerge merge, Viewer viewer, TimeProvider clock) : FormPage
{
    public Organisation Organisation { get; private set; } = null!;
    public IReadOnlyList<GovukForm.Option> Others { get; private set; } = [];
    /// <summary>How many people belong to the duplicate, so the administrator knows what will move.</summary>
    public int People { get; private set; }
    [BindProperty] public string? Into { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await RefusedAsync(id, ct) ?? (await LoadAsync(id, ct) ? Page() : NotFound());

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (await RefusedAsync(id, ct) is { } refused) return refused;
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!int.TryParse(Into, out var intoId) || Others.All(o => o.Value != Into))
        {
            Errors.Add("into", "Choose the organisation to keep");
            return Page();
        }
        if (await merge.MergeAsync(viewer, id, intoId, ct) is { } problem)
        {
            Errors.Add("into", problem);
            return Page();
        }
        TempData["Notice"] = $"{Organisation.Name} is merged into this organisation: its agreements, people and invitations are here now.";
        return Redirect($"/organisations/{intoId}");
    }

    async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        if (await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct) is not { } organisation) return false;
        Organisation = organisation;
        Others = await db.Organisations.AsNoTracking().Where(o => o.Id != id).OrderBy(o => o.Name).Select(o => new GovukForm.Option(o.Id.ToString(), o.Name)).ToListAsync(ct);
        People = await db.Memberships.CountAsync(m => m.OrganisationId == id, ct);
        return true;
    }

    Task<IActionResult?> RefusedAsync(int id, CancellationToken ct) =>
        RegistryAccess.RefuseUnlessFrameworkAdministratorAsync(db, viewer, clock, id, "merge organisations", ct);
}
