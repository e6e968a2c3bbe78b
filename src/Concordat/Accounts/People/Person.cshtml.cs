using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Accounts.People;

/// <summary>Change one person's roles in an organisation, or remove them from it.</summary>
[Authorize]
public sealed class PersonModel(ConcordatDb db, PeopleCommands people, Viewer viewer) : FormPage
{
    public Organisation Organisation { get; private set; } = null!;
    public Membership Membership { get; private set; } = null!;
    public string Email { get; private set; } = "";
    [BindProperty] public List<string> Roles { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, int membershipId, CancellationToken ct)
    {
        if (!await LoadAsync(id, membershipId, ct)) return NotFound();
        if (!MayManage(id)) return await RefuseAsync(id, "open a person's roles", ct);
        Roles = Membership.Roles.Slugs().ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, int membershipId, CancellationToken ct)
    {
        if (!await LoadAsync(id, membershipId, ct)) return NotFound();
        if (!MayManage(id)) return await RefuseAsync(id, "change roles", ct);
        var roles = OrganisationRoles.Parse(Roles, Errors);
        // Nobody locks themselves out of running their organisation; another administrator can do it.
        if (Membership.UserId == viewer.UserId && !roles.HasFlag(OrganisationRole.Administrator) && !viewer.IsFrameworkAdministrator)
            Errors.Add("roles", "You cannot take away your own administrator role. Ask another administrator");
        if (Errors.Count > 0) return Page();
        await people.ChangeRolesAsync(viewer, Membership, Email, roles, ct);
        TempData["Notice"] = $"{Email} is now: {roles.DescribeAll()}.";
        return Redirect($"/organisations/{id}/people");
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, int membershipId, CancellationToken ct)
    {
        if (!await LoadAsync(id, membershipId, ct)) return NotFound();
        if (!MayManage(id)) return await RefuseAsync(id, "remove a person", ct);
        if (Membership.UserId == viewer.UserId && !viewer.IsFrameworkAdministrator)
        {
            Errors.Add("roles", "You cannot remove yourself. Ask another administrator");
            Roles = Membership.Roles.Slugs().ToList();
            return Page();
        }
        await people.RemoveAsync(viewer, Membership, Email, ct);
        TempData["Notice"] = $"{Email} is no longer a member of {Organisation.Name}.";
        return Redirect($"/organisations/{id}/people");
    }

    bool MayManage(int organisationId) => viewer.MayChange && viewer.Has(organisationId, OrganisationRole.Administrator);

    async Task<IActionResult> RefuseAsync(int id, string attempted, CancellationToken ct)
    {
        await people.RecordRefusalAsync(viewer, id, attempted, ct);
        return StatusCode(403);
    }

    async Task<bool> LoadAsync(int id, int membershipId, CancellationToken ct)
    {
        var found = await (from m in db.Memberships.Include(m => m.Organisation)
                           join u in db.Users on m.UserId equals u.Id
                           where m.Id == membershipId && m.OrganisationId == id
                           select new { Membership = m, u.Email }).SingleOrDefaultAsync(ct);
        if (found is null) return false;
        (Membership, Email, Organisation) = (found.Membership, found.Email ?? "", found.Membership.Organisation!);
        return true;
    }
}
