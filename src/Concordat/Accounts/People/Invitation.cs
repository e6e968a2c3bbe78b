using Concordat.Data;
using Concordat.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Accounts.People;

/// <summary>
/// An invitation to join an organisation with given roles. The link's secret is sent by email and
/// only its SHA-256 kept; it works once, before it expires, and can be withdrawn.
/// </summary>
public sealed class Invitation
{
    public int Id { get; set; }
    public required string Email { get; set; }
    public int OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public OrganisationRole Roles { get; set; }
    public required string Hash { get; set; }
    public required string InvitedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }

    public bool IsOpen(DateTimeOffset now) => AcceptedAt is null && WithdrawnAt is null && ExpiresAt > now;
}

sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> e)
    {
        e.Property(i => i.Email).HasMaxLength(254);
        e.Property(i => i.InvitedBy).HasMaxLength(254);
        e.Property(i => i.Hash).HasMaxLength(64).IsFixedLength();
        e.HasIndex(i => i.Hash).IsUnique();
        e.HasIndex(i => new { i.OrganisationId, i.Email });
        e.Property(i => i.Roles).HasConversion<int>();
        e.HasOne(i => i.Organisation).WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class InvitationTables
{
    extension(ConcordatDb db)
    {
        public DbSet<Invitation> Invitations => db.Set<Invitation>();
    }
}

/// <summary>Open and past invitations follow a merged organisation.</summary>
public sealed class InvitationOrganisationReferences : Organisations.Merging.IOrganisationReferences
{
    public Task<int> MoveAsync(Data.ConcordatDb db, int from, int into, CancellationToken ct) =>
        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(
            db.Invitations.Where(i => i.OrganisationId == from), u => u.SetProperty(i => i.OrganisationId, into), ct);
}
