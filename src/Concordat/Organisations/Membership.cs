using Concordat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Organisations;

/// <summary>What a person may do for one organisation. Every membership can read what partners may read.</summary>
[Flags]
public enum OrganisationRole
{
    Member = 0,
    /// <summary>Information governance officer: creates and edits the organisation's agreements, uploads files.</summary>
    Editor = 1,
    DataProtectionOfficer = 2,
    /// <summary>Senior officer who signs off agreements for the organisation.</summary>
    Signatory = 4,
    /// <summary>Invites and manages the organisation's people and records its assurance.</summary>
    Administrator = 8,
}

/// <summary>A person's place in one organisation, with their roles there.</summary>
public sealed class Membership
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public int OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public OrganisationRole Roles { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> e)
    {
        e.HasIndex(m => new { m.UserId, m.OrganisationId }).IsUnique();
        e.HasIndex(m => m.OrganisationId);
        // Flags, so a number rather than the names every other enum is stored by.
        e.Property(m => m.Roles).HasConversion<int>();
        e.HasOne<IdentityUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(m => m.Organisation).WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class MembershipTables
{
    extension(ConcordatDb db)
    {
        public DbSet<Membership> Memberships => db.Set<Membership>();
    }
}

public static class OrganisationRoles
{
    /// <summary>The roles a person can be given, in the order pages list them.</summary>
    public static readonly OrganisationRole[] Assignable =
        [OrganisationRole.Editor, OrganisationRole.DataProtectionOfficer, OrganisationRole.Signatory, OrganisationRole.Administrator];

    public static string Describe(this OrganisationRole role) => role switch
    {
        OrganisationRole.Editor => "Editor",
        OrganisationRole.DataProtectionOfficer => "Data protection officer",
        OrganisationRole.Signatory => "Signatory",
        OrganisationRole.Administrator => "Organisation administrator",
        _ => "Member",
    };

    public static string Hint(this OrganisationRole role) => role switch
    {
        OrganisationRole.Editor => "Creates and edits the organisation's agreements and uploads their files",
        OrganisationRole.DataProtectionOfficer => "Reviews agreements before they are signed off",
        OrganisationRole.Signatory => "Signs off agreements for the organisation",
        OrganisationRole.Administrator => "Invites people, manages their roles and records the organisation's assurance",
        _ => "Reads what partners may read",
    };

    /// <summary>"Member" or the roles held, e.g. "Editor, Signatory".</summary>
    public static string DescribeAll(this OrganisationRole roles)
    {
        var held = Assignable.Where(r => roles.HasFlag(r)).Select(r => r.Describe()).ToList();
        return held.Count == 0 ? "Member" : string.Join(", ", held);
    }

    public static string Slug(this OrganisationRole role) => role switch
    {
        OrganisationRole.Editor => "editor",
        OrganisationRole.DataProtectionOfficer => "data-protection-officer",
        OrganisationRole.Signatory => "signatory",
        OrganisationRole.Administrator => "administrator",
        _ => "member",
    };

    /// <summary>Roles by their slugs (ticked on a form, given on the command line), as flags; an unknown one is named.</summary>
    public static OrganisationRole Parse(IEnumerable<string> ticked, FieldErrors errors)
    {
        var roles = OrganisationRole.Member;
        foreach (var slug in ticked.Where(t => !string.IsNullOrEmpty(t)))
        {
            var role = OrganisationRoles.Assignable.FirstOrDefault(r => r.Slug() == slug, OrganisationRole.Member);
            if (role == OrganisationRole.Member) errors.Add("roles", $"'{slug}' is not a role. Choose from the list");
            roles |= role;
        }
        return roles;
    }

    public static string[] Slugs(this OrganisationRole roles) =>
        Assignable.Where(r => roles.HasFlag(r)).Select(r => r.Slug()).Prepend("member").ToArray();
}
