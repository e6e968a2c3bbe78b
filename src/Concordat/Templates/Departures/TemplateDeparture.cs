using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Templates.Departures;

/// <summary>
/// Where an agreement drafted from a template changes wording the framework fixed: each such section with the template's
/// wording and the agreed wording, as they were when the agreement's documents were made, and the framework approvers'
/// approvals of the change. The <see cref="Hash"/> names exactly what was approved, so changing the wording again
/// needs approving again.
/// </summary>
public sealed class TemplateDeparture
{
    public int Id { get; set; }
    public int AgreementId { get; set; }
    public List<DepartedSection> Sections { get; set; } = [];
    public required string Hash { get; set; }
    /// <summary>Who made the documents with this wording: they cannot approve their own departure.</summary>
    public required string RecordedByUserId { get; set; }
    public List<DepartureApproval> Approvals { get; set; } = [];
    /// <summary>Set when the last approval needed is given.</summary>
    public DateTimeOffset? ApprovedAt { get; set; }
    /// <summary>Changed by every approval: the approvals are one JSON column, so a save that read them stale would drop one (ConcurrentWrites).</summary>
    public int Revision { get; set; }
}

public sealed class DepartedSection
{
    public required string Key { get; set; }
    public int Number { get; set; }
    public required string Heading { get; set; }
    public required string TemplateWording { get; set; }
    public required string AgreedWording { get; set; }
}

public sealed class DepartureApproval
{
    public required string UserId { get; set; }
    public required string Approver { get; set; }
    public required string Advice { get; set; }
    public DateTimeOffset At { get; set; }
}

sealed class TemplateDepartureConfiguration : IEntityTypeConfiguration<TemplateDeparture>
{
    public void Configure(EntityTypeBuilder<TemplateDeparture> e)
    {
        e.ToTable("TemplateDepartures");
        e.HasIndex(d => d.AgreementId).IsUnique();
        e.Property(d => d.Hash).HasMaxLength(64);
        e.Property(d => d.Revision).IsConcurrencyToken();
        e.Property(d => d.RecordedByUserId).HasMaxLength(450);
        e.OwnsMany(d => d.Sections, s => s.ToJson());
        e.OwnsMany(d => d.Approvals, a => a.ToJson());
    }
}

public static class DepartureTables
{
    extension(ConcordatDb db)
    {
        public DbSet<TemplateDeparture> TemplateDepartures => db.Set<TemplateDeparture>();
    }
}
