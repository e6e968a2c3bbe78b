using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Accounts;

/// <summary>A person's own account: who they are here, their organisations and roles, and how they sign in.</summary>
[Authorize]
public sealed class AccountModel(ConcordatDb db, UserManager<IdentityUser> users, Viewer viewer, TimeProvider clock) : PageModel
{
    public string Email => viewer.Email ?? "";
    public bool IsFrameworkAdministrator => viewer.IsFrameworkAdministrator;
    public IReadOnlyList<(int Id, string Name, OrganisationRole Roles)> Organisations { get; private set; } = [];
    public bool TwoStepOn { get; private set; }
    public int LiveTokens { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var names = await db.Organisations.AsNoTracking().Where(o => viewer.OrganisationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        Organisations = viewer.Roles.Select(r => (r.Key, names[r.Key], r.Value)).OrderBy(o => o.Item2).ToList();
        var user = await users.GetUserAsync(User);
        TwoStepOn = user is not null && await users.GetTwoFactorEnabledAsync(user);
        var now = clock.GetUtcNow();
        LiveTokens = (await db.ApiTokens.AsNoTracking().Where(t => t.UserId == viewer.UserId).ToListAsync(ct)).Count(t => t.IsUsable(now));
    }
}
