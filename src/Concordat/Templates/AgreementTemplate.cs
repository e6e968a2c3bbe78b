using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Templates;

/// <summary>The kinds of agreement the library has a template for (DOMAIN.md).</summary>
public enum TemplateType { InformationSharing, DataDisclosure, JointController, DataProcessing, OverarchingAccord }

public static class TemplateTypes
{
    /// <summary>The register's agreement type an agreement drafted from a template of this type has.</summary>
    public static Agreements.AgreementType AgreementTypeOf(TemplateType type) => type switch
    {
        TemplateType.InformationSharing => Agreements.AgreementType.InformationSharing,
        TemplateType.DataDisclosure => Agreements.AgreementType.DataDisclosure,
        TemplateType.JointController => Agreements.AgreementType.JointController,
        TemplateType.DataProcessing => Agreements.AgreementType.DataProcessing,
        _ => Agreements.AgreementType.OverarchingAccord,
    };

    /// <summary>What the clauses call the document (their <c>kind</c> variable): "accord" or "agreement".</summary>
    public static string KindOf(TemplateType type) => type == TemplateType.OverarchingAccord ? "accord" : "agreement";
}

/// <summary>draft → in review → pre-approved → superseded or retired. Only a pre-approved version may be drafted from.</summary>
public enum TemplateState { Draft, InReview, PreApproved, Superseded, Retired }

/// <summary>A template in the library: its name and type, and every version it has had.</summary>
public sealed class AgreementTemplate
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public TemplateType Type { get; set; }
    /// <summary>When to use it, in a sentence or two, for the library page.</summary>
    public string Summary { get; set; } = "";
    public List<TemplateVersion> Versions { get; set; } = [];
}

/// <summary>
/// One version of a template: its questions and its ordered sections. A version that has been pre-approved never
/// changes; editing makes a new version.
/// </summary>
public sealed class TemplateVersion
{
    public int Id { get; set; }
    public int TemplateId { get; set; }
    public AgreementTemplate? Template { get; set; }
    public int Number { get; set; }
    public TemplateState State { get; set; }
    public List<TemplateQuestion> Questions { get; set; } = [];
    public List<TemplateSection> Sections { get; set; } = [];
    /// <summary>What changed from the version before, in the author's words.</summary>
    public string? ChangeNote { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? PreApprovedAt { get; set; }
    public List<TemplateApproval> Approvals { get; set; } = [];
    /// <summary>Changed by every step and approval, so two approvals at once cannot both count the approvals as they read them (ConcurrentWrites).</summary>
    public int Revision { get; set; }
}

/// <summary>A framework approver's approval of a version in review, with the advice they took (legal, the centre of expertise).</summary>
public sealed class TemplateApproval
{
    public int Id { get; set; }
    public int TemplateVersionId { get; set; }
    public required string UserId { get; set; }
    public required string Approver { get; set; }
    public required string Advice { get; set; }
    public DateTimeOffset At { get; set; }
}

sealed class AgreementTemplateConfiguration : IEntityTypeConfiguration<AgreementTemplate>
{
    public void Configure(EntityTypeBuilder<AgreementTemplate> e)
    {
        e.ToTable("Templates");
        e.Property(t => t.Name).HasMaxLength(200);
        e.HasIndex(t => t.Name).IsUnique();
        e.Property(t => t.Summary).HasMaxLength(1000);
        e.HasMany(t => t.Versions).WithOne(v => v.Template).HasForeignKey(v => v.TemplateId);
    }
}

sealed class TemplateVersionConfiguration : IEntityTypeConfiguration<TemplateVersion>
{
    public void Configure(EntityTypeBuilder<TemplateVersion> e)
    {
        e.ToTable("TemplateVersions");
        e.HasIndex(v => new { v.TemplateId, v.Number }).IsUnique();
        // Questions and sections belong to their version and are only ever read and written with it, so they are
        // kept as JSON in its row rather than as tables of their own.
        e.OwnsMany(v => v.Questions, q => { q.ToJson(); q.OwnsMany(x => x.Choices); });
        e.OwnsMany(v => v.Sections, s => s.ToJson());
        e.Property(v => v.ChangeNote).HasMaxLength(2000);
        e.Property(v => v.Revision).IsConcurrencyToken();
        e.Property(v => v.CreatedBy).HasMaxLength(256);
        e.HasMany(v => v.Approvals).WithOne().HasForeignKey(a => a.TemplateVersionId);
    }
}

sealed class TemplateApprovalConfiguration : IEntityTypeConfiguration<TemplateApproval>
{
    public void Configure(EntityTypeBuilder<TemplateApproval> e)
    {
        e.ToTable("TemplateApprovals");
        e.Property(a => a.UserId).HasMaxLength(450);
        e.Property(a => a.Approver).HasMaxLength(256);
        e.Property(a => a.Advice).HasMaxLength(4000);
        e.HasIndex(a => new { a.TemplateVersionId, a.UserId }).IsUnique(); // one approval per approver per version
    }
}

public static class TemplateTables
{
    extension(ConcordatDb db)
    {
        public DbSet<AgreementTemplate> Templates => db.Set<AgreementTemplate>();
        public DbSet<TemplateVersion> TemplateVersions => db.Set<TemplateVersion>();
    }
}
