using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Accounts.Administration;

public sealed record AccountRow(string Id, string Email, bool TwoStep, bool LockedOut, bool FrameworkAdministrator, string Organisations);

/// <summary>
/// Every account, for framework administrators: who belongs where, and the help people ask the service
/// team for: unlocking an account, resetting two-step sign-in after a lost phone, and the framework
/// administrator role itself. Every action is audited.
/// </summary>
[Authorize]
public sealed class PeopleAdministrationModel(ConcordatDb db, UserManager<IdentityUser> users, Viewer viewer, TimeProvider clock) : FormPage
{
    public IReadOnlyList<AccountRow> Accounts { get; private set; } = [];
    [TempData] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!viewer.IsFrameworkAdministrator) return await RefuseAsync("list every account", ct);
        var now = clock.GetUtcNow();
        var admins = (await users.GetUsersInRoleAsync(Viewer.FrameworkAdministratorRole)).Select(u => u.Id).ToHashSet();
        var memberships = (await db.Memberships.AsNoTracking().Include(m => m.Organisation).ToListAsync(ct)).ToLookup(m => m.UserId);
        Accounts = (await db.Users.AsNoTracking().ToListAsync(ct))
            .Select(u => new AccountRow(u.Id, u.Email ?? u.UserName ?? u.Id, u.TwoFactorEnabled, u.LockoutEnd > now, admins.Contains(u.Id),
                string.Join("; ", memberships[u.Id].Select(m => $"{m.Organisation!.Name} ({m.Roles.DescribeAll()})").Order())))
            .OrderBy(a => a.Email, StringComparer.OrdinalIgnoreCase).ToList();
        return Page();
    }

    public Task<IActionResult> OnPostUnlockAsync(string id, CancellationToken ct) => ActAsync(id, "unlock", "account.unlocked", async user =>
    {
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return $"{user.Email} can sign in again.";
    }, ct);

    public Task<IActionResult> OnPostResetTwoStepAsync(string id, CancellationToken ct) => ActAsync(id, "reset two-step sign-in", "two-step.reset", async user =>
    {
        // A new key, so the lost phone's app no longer gives working codes; the person sets it up again at next sign-in.
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        return $"Two-step sign-in is reset for {user.Email}. They sign in with their password and set it up again.";
    }, ct);

    public Task<IActionResult> OnPostGrantAsync(string id, CancellationToken ct) => ActAsync(id, "make a framework administrator", "framework-administrator.granted", async user =>
    {
        await users.AddToRoleAsync(user, Viewer.FrameworkAdministratorRole);
        return $"{user.Email} is now a framework administrator. They must turn on two-step sign-in before they can use Concordat.";
    }, ct);

    public async Task<IActionResult> OnPostRevokeAsync(string id, CancellationToken ct)
    {
        // Someone else must do it, so the framework is never left without an administrator by accident.
        if (id == viewer.UserId && viewer.IsFrameworkAdministrator)
        {
            Errors.Add("accounts", "You cannot remove your own framework administrator role. Ask another framework administrator");
            return await OnGetAsync(ct);
        }
        return await ActAsync(id, "remove a framework administrator", "framework-administrator.revoked", async user =>
        {
            await users.RemoveFromRoleAsync(user, Viewer.FrameworkAdministratorRole);
            return $"{user.Email} is no longer a framework administrator.";
        }, ct);
    }

    /// <summary>
    /// One action on one account. Identity saves its change through this same context, with the audit
    /// event queued first, so the change and its event land in one save.
    /// </summary>
    async Task<IActionResult> ActAsync(string id, string attempted, string action, Func<IdentityUser, Task<string>> change, CancellationToken ct)
    {
        if (!viewer.IsFrameworkAdministrator || !viewer.MayChange) return await RefuseAsync(attempted, ct);
        var user = await users.FindByIdAsync(id);
        if (user is null) return NotFound();
        AuditTrail.Record(db, viewer.Actor, action, $"person:{user.Email?.ToLowerInvariant()}", new { }, clock);
        Notice = await change(user);
        return RedirectToPage();
    }

    async Task<IActionResult> RefuseAsync(string attempted, CancellationToken ct)
    {
        AuditTrail.Record(db, viewer.Actor, "access.refused", "people", new { attempted }, clock);
        await db.SaveChangesAsync(ct);
        return StatusCode(StatusCodes.Status403Forbidden);
    }
}
