using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Accounts.People;

public sealed record PersonRow(int MembershipId, string Email, OrganisationRole Roles, bool TwoStep, bool LockedOut);

/// <summary>An organisation's people: its members see who is who; its administrators invite and manage them.</summary>
[Authorize]
public sealed class PeopleModel(ConcordatDb db, PeopleCommands people, Viewer viewer, PublicSite site, TimeProvider clock) : FormPage
{
    public Organisation Organisation { get; private set; } = null!;
    public IReadOnlyList<PersonRow> People { get; private set; } = [];
    public IReadOnlyList<Invitation> Pending { get; private set; } = [];
    public bool CanManage => viewer.MayChange && viewer.Has(Organisation.Id, OrganisationRole.Administrator);
    public DateTimeOffset Now => clock.GetUtcNow();

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public List<string> Roles { get; set; } = [];
    [TempData] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        return viewer.Has(id, OrganisationRole.Member) ? Page() : StatusCode(403);
    }

    public async Task<IActionResult> OnPostInviteAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanManage) return await RefuseAsync(id, "invite", ct);
        var (delivery, errors) = await people.InviteAsync(viewer, Organisation, Email, OrganisationRoles.Parse(Roles, Errors), site.BaseUrl, ct);
        foreach (var (field, messages) in errors)
            foreach (var message in messages) Errors.Add(field, message);
        if (Errors.Count > 0)
        {
            await LoadAsync(id, ct);
            return Page();
        }
        Notice = $"Invitation sent to {Email!.Trim()}. " + (delivery!.Sent ? "" : delivery.Summary);
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostWithdrawAsync(int id, int invitationId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanManage) return await RefuseAsync(id, "withdraw invitation", ct);
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.OrganisationId == id, ct);
        if (invitation is null) return NotFound();
        if (invitation.IsOpen(Now)) await people.WithdrawAsync(viewer, invitation, ct);
        Notice = $"The invitation to {invitation.Email} is withdrawn: its link no longer works.";
        return RedirectToPage(new { id });
    }

    async Task<IActionResult> RefuseAsync(int id, string attempted, CancellationToken ct)
    {
        await people.RecordRefusalAsync(viewer, id, attempted, ct);
        return StatusCode(403);
    }

    async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null) return false;
        Organisation = organisation;
        var now = Now;
        People = (await (from m in db.Memberships.AsNoTracking()
                         join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                         where m.OrganisationId == id
                         select new { m.Id, u.Email, m.Roles, u.TwoFactorEnabled, u.LockoutEnd }).ToListAsync(ct))
            .Select(p => new PersonRow(p.Id, p.Email ?? "", p.Roles, p.TwoFactorEnabled, p.LockoutEnd > now))
            .OrderBy(p => p.Email, StringComparer.OrdinalIgnoreCase).ToList();
        Pending = (await db.Invitations.AsNoTracking().Where(i => i.OrganisationId == id && i.AcceptedAt == null && i.WithdrawnAt == null).ToListAsync(ct))
            .OrderBy(i => i.Email).ToList();
        return true;
    }

    public static IReadOnlyList<GovukForm.Option> RoleOptions =>
        OrganisationRoles.Assignable.Select(r => new GovukForm.Option(r.Slug(), $"{r.Describe()}: {r.Hint().ToLowerInvariant()}")).ToList();

}
