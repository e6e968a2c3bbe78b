using System.Net;
using System.Security.Cryptography;
using System.Text;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Mail;
using Concordat.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Accounts.People;

/// <summary>
/// Invitations and roles: what an organisation's administrators (and framework administrators) do
/// with the organisation's people. Every change is one save with its audit event.
/// </summary>
public sealed class PeopleCommands(ConcordatDb db, UserManager<IdentityUser> users, Mailer mailer, IConfiguration configuration, TimeProvider clock)
{
    public TimeSpan InvitationLifetime => TimeSpan.FromDays(configuration.GetValue("Concordat:Invitations:ValidDays", 7));

    public static string Subject(string email) => $"person:{email.ToLowerInvariant()}";

    /// <summary>Sends an invitation. Returns field errors, or the delivery so the page can say where the message went.</summary>
    public async Task<(MailDelivery? Delivery, FieldErrors Errors)> InviteAsync(Viewer actor, Organisation organisation, string? email, OrganisationRole roles,
        string siteUrl, CancellationToken ct)
    {
        var errors = new FieldErrors();
        // Addresses are kept in lower case so that an invitation, an account and a single sign-on identity always match.
        var address = email?.Trim().ToLowerInvariant() ?? "";
        if (address.Length == 0) errors.Add("email", "Enter the email address of the person to invite");
        else if (address.Length > 254 || !System.Net.Mail.MailAddress.TryCreate(address, out var parsed) || parsed.Address != address || !address.Contains('.'))
            errors.Add("email", "Enter an email address in the correct format, like name@example.gov.uk");
        if (errors.Count > 0) return (null, errors);

        var existing = await users.FindByEmailAsync(address);
        if (existing is not null && await db.Memberships.AnyAsync(m => m.UserId == existing.Id && m.OrganisationId == organisation.Id, ct))
        {
            errors.Add("email", $"{address} is already a member of {organisation.Name}. Change their roles from the list of people instead");
            return (null, errors);
        }

        var now = clock.GetUtcNow();
        // A new invitation replaces any still open for the same person and organisation: one live link at a time.
        foreach (var open in await db.Invitations.Where(i => i.OrganisationId == organisation.Id && i.Email == address && i.AcceptedAt == null && i.WithdrawnAt == null).ToListAsync(ct))
            open.WithdrawnAt = now;
        var secret = WebEncoders(RandomNumberGenerator.GetBytes(32));
        var invitation = new Invitation
        {
            Email = address, OrganisationId = organisation.Id, Roles = roles, Hash = HashOf(secret), InvitedBy = actor.Actor,
            CreatedAt = now, ExpiresAt = now + InvitationLifetime,
        };
        db.Invitations.Add(invitation);
        AuditTrail.Record(db, actor.Actor, "invitation.sent", Subject(address),
            new { organisation = organisation.Name, roles = roles.Slugs(), expiresAt = invitation.ExpiresAt }, clock, organisation.Id);

        // The message goes first: if it cannot be sent, nothing is saved and the page says why.
        var link = $"{siteUrl.TrimEnd('/')}/invitations/{secret}";
        MailDelivery delivery;
        try
        {
            delivery = await mailer.SendAsync(InvitationMail(invitation, organisation, actor, link), ct);
        }
        catch (MailNotSentException e)
        {
            db.ChangeTracker.Clear();
            errors.Add("email", $"The invitation could not be sent, so it was not saved. {e.Message}");
            return (null, errors);
        }
        await db.SaveChangesAsync(ct);
        return (delivery, errors);
    }

    OutgoingMail InvitationMail(Invitation invitation, Organisation organisation, Viewer actor, string link)
    {
        var expires = Display.Date(invitation.ExpiresAt) + " UTC";
        var text = $"""
            {actor.Actor} has invited you to join {organisation.Name} on Concordat, the register of data sharing agreements, as: {invitation.Roles.DescribeAll()}.

            To accept, open this link and choose a password:
            {link}

            The link works once and expires on {expires} (UTC). If you did not expect this invitation, you can ignore this email.
            """;
        var html = $"""
            <p>{WebUtility.HtmlEncode(actor.Actor)} has invited you to join {WebUtility.HtmlEncode(organisation.Name)} on Concordat, the register of data sharing agreements, as: {WebUtility.HtmlEncode(invitation.Roles.DescribeAll())}.</p>
            <p><a href="{WebUtility.HtmlEncode(link)}">Accept the invitation and choose a password</a></p>
            <p>The link works once and expires on {WebUtility.HtmlEncode(expires)} (UTC). If you did not expect this invitation, you can ignore this email.</p>
            """;
        return new OutgoingMail(invitation.Email, $"You are invited to join {organisation.Name} on Concordat", text, html);
    }

    /// <summary>The open invitation a link's secret names, or why there is none (for the page and the audit trail).</summary>
    public async Task<(Invitation? Invitation, string? Refusal)> FindOpenAsync(string secret, CancellationToken ct)
    {
        var hash = HashOf(secret);
        var invitation = await db.Invitations.Include(i => i.Organisation).SingleOrDefaultAsync(i => i.Hash == hash, ct);
        if (invitation is null) return (null, "unknown");
        if (invitation.AcceptedAt is not null) return (invitation, "used");
        if (invitation.WithdrawnAt is not null) return (invitation, "withdrawn");
        if (invitation.ExpiresAt <= clock.GetUtcNow()) return (invitation, "expired");
        return (invitation, null);
    }

    /// <summary>Audits a link that was refused: forged, reused, withdrawn or expired.</summary>
    public async Task RecordRefusedLinkAsync(Invitation? invitation, string refusal, string actor, CancellationToken ct)
    {
        AuditTrail.Record(db, actor, "invitation.refused", invitation is null ? "invitation:unknown" : Subject(invitation.Email),
            new { reason = refusal }, clock, invitation?.OrganisationId);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Creates the invited person's account with their password and joins them to the organisation.</summary>
    public async Task<(IdentityUser? User, FieldErrors Errors)> AcceptWithPasswordAsync(Invitation invitation, string? password, string? confirm, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(password)) errors.Add("password", "Enter a password");
        else if (password != confirm) errors.Add("confirmPassword", "The passwords do not match");
        if (errors.Count > 0) return (null, errors);

        var user = NewAccount(invitation.Email);
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password!);
            foreach (var error in result.Errors) errors.Add("password", error.Description);
        }
        if (errors.Count > 0) return (null, errors);

        foreach (var validator in users.UserValidators)
        {
            var result = await validator.ValidateAsync(users, user);
            foreach (var error in result.Errors) errors.Add("password", error.Description);
        }
        if (errors.Count > 0) return (null, errors);

        // The account, the membership, the used invitation and the event are one save: never a half-joined
        // person, and the audit chain's rule (one save, no outer transaction) holds.
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password!);
        db.Users.Add(user);
        Join(user, invitation, "invitation.accepted");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same link used twice at once: the account's unique email lets only one through.
            db.ChangeTracker.Clear();
            errors.Add("password", "This invitation has just been used. Sign in with the password you chose");
            return (null, errors);
        }
        return (user, errors);
    }

    /// <summary>An invited person who arrives through single sign-on: an account with no password, joined in one save.</summary>
    public async Task<IdentityUser> AcceptWithoutPasswordAsync(Invitation invitation, CancellationToken ct)
    {
        var user = NewAccount(invitation.Email);
        db.Users.Add(user);
        Join(user, invitation, "invitation.accepted");
        await db.SaveChangesAsync(ct);
        return user;
    }

    IdentityUser NewAccount(string email) => new()
    {
        UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true,
        NormalizedEmail = users.NormalizeEmail(email), NormalizedUserName = users.NormalizeName(email), SecurityStamp = Guid.NewGuid().ToString("N"),
    };

    /// <summary>A person who already has an account accepts while signed in as the invited address.</summary>
    public async Task AcceptAsExistingAsync(IdentityUser user, Invitation invitation, CancellationToken ct)
    {
        Join(user, invitation, "invitation.accepted");
        await db.SaveChangesAsync(ct);
    }

    void Join(IdentityUser user, Invitation invitation, string action)
    {
        var now = clock.GetUtcNow();
        invitation.AcceptedAt = now;
        db.Memberships.Add(new Membership { UserId = user.Id, OrganisationId = invitation.OrganisationId, Roles = invitation.Roles, CreatedAt = now });
        AuditTrail.Record(db, invitation.Email, action, Subject(invitation.Email),
            new { organisation = invitation.Organisation?.Name, roles = invitation.Roles.Slugs(), invitedBy = invitation.InvitedBy }, clock, invitation.OrganisationId);
    }

    public async Task ChangeRolesAsync(Viewer actor, Membership membership, string email, OrganisationRole roles, CancellationToken ct)
    {
        if (membership.Roles == roles) return;
        AuditTrail.Record(db, actor.Actor, "membership.roles-changed", Subject(email),
            new { before = membership.Roles.Slugs(), after = roles.Slugs() }, clock, membership.OrganisationId);
        membership.Roles = roles;
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(Viewer actor, Membership membership, string email, CancellationToken ct)
    {
        db.Memberships.Remove(membership);
        AuditTrail.Record(db, actor.Actor, "membership.removed", Subject(email), new { roles = membership.Roles.Slugs() }, clock, membership.OrganisationId);
        await db.SaveChangesAsync(ct);
    }

    public async Task WithdrawAsync(Viewer actor, Invitation invitation, CancellationToken ct)
    {
        invitation.WithdrawnAt = clock.GetUtcNow();
        AuditTrail.Record(db, actor.Actor, "invitation.withdrawn", Subject(invitation.Email), new { roles = invitation.Roles.Slugs() }, clock, invitation.OrganisationId);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Refused attempts to manage people go on the trail too.</summary>
    public async Task RecordRefusalAsync(Viewer actor, int organisationId, string attempted, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        AuditTrail.Record(db, actor.Actor, "access.refused", $"organisation:{organisationId}", new { attempted }, clock, organisationId);
        await db.SaveChangesAsync(ct);
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    static string WebEncoders(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
