using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Demo;

/// <summary>
/// In Development only: two people to try the roles with, sharing the demo administrator's password.
/// Never made elsewhere, where a known password would be a way in.
/// </summary>
public static class DemoPeople
{
    public static readonly (string Email, string Organisation, OrganisationRole Roles)[] People =
    [
        ("editor@lfb.demo", "London Fire Brigade", OrganisationRole.Editor),
        ("member@camden.demo", "London Borough of Camden", OrganisationRole.Member),
    ];

    public static async Task EnsureAsync(IServiceProvider services, string password, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        foreach (var (email, organisation, roles) in People)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded) throw new InvalidOperationException($"Demo person {email}: " + string.Join("; ", created.Errors.Select(e => e.Description)));
            var organisationId = await db.Organisations.Where(o => o.Name == organisation).Select(o => o.Id).SingleAsync(ct);
            db.Memberships.Add(new Membership { UserId = user.Id, OrganisationId = organisationId, Roles = roles, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(ct);
        }
    }
}
