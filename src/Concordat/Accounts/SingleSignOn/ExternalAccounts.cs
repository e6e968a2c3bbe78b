using System.Security.Claims;
using Concordat.Accounts.People;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Accounts.SingleSignOn;

/// <summary>
/// Matches an identity from the single sign-on provider to a person: the same external account as
/// before; else an account or an open invitation with the provider's verified email address. Nobody
/// without an account or an invitation gets in: the provider proves who someone is, not that they
/// belong here.
/// </summary>
public sealed class ExternalAccounts(ConcordatDb db, UserManager<IdentityUser> users, PeopleCommands people, SingleSignOnOptions options, TimeProvider clock)
{
    public async Task<(IdentityUser? User, string? Refusal)> MatchAsync(ExternalLoginInfo login, CancellationToken ct)
    {
        var linked = await users.FindByLoginAsync(login.LoginProvider, login.ProviderKey);
        if (linked is not null) return (linked, null);

        var email = login.Principal.FindFirstValue("email") ?? login.Principal.FindFirstValue(ClaimTypes.Email);
        var verified = options.TrustEmail || login.Principal.FindFirstValue("email_verified") is "true" or "True";
        if (string.IsNullOrWhiteSpace(email))
            return (null, $"{options.DisplayName} did not tell Concordat your email address, so your account cannot be found. Sign in with your password instead.");
        if (!verified)
            return (null, $"{options.DisplayName} did not confirm that {email} is yours, so it cannot be matched to a Concordat account. Sign in with your password instead.");

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // Few per address, so the expiry is checked here rather than in SQL (SQLite cannot compare offsets).
            var address = email.Trim().ToLowerInvariant();
            var invitation = (await db.Invitations.Include(i => i.Organisation).Where(i => i.Email == address).ToListAsync(ct))
                .Where(i => i.IsOpen(clock.GetUtcNow())).MaxBy(i => i.Id);
            if (invitation is null)
                return (null, $"There is no Concordat account or invitation for {email}. Ask your organisation's Concordat administrator to invite you.");
            user = await people.AcceptWithoutPasswordAsync(invitation, ct);
        }

        var added = await users.AddLoginAsync(user, login);
        if (!added.Succeeded) return (null, string.Join(" ", added.Errors.Select(e => e.Description)));
        AuditTrail.Record(db, user.Email!, "sign-in.linked", PeopleCommands.Subject(user.Email!), new { provider = login.LoginProvider }, clock);
        await db.SaveChangesAsync(ct);
        return (user, null);
    }
}
