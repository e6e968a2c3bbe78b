using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Organisations;

public enum OrganisationType
{
    LocalAuthority,
    GreaterLondonAuthority,
    FireAndRescue,
    Police,
    Ambulance,
    IntegratedCareBoard,
    NhsTrust,
    PrimaryCare,
    Probation,
    Education,
    HousingAssociation,
    VoluntaryOrganisation,
    OtherPublicBody,
}

public enum DsptStatus { StandardsMet, StandardsExceeded, ApprovedImprovementPlan, StandardsNotMet, NotPublished }

public enum CyberEssentialsLevel { None, CyberEssentials, CyberEssentialsPlus }

/// <summary>A body that is party to agreements, with the assurance it records about itself.</summary>
public sealed class Organisation
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Short names people use ("LFB", "Met Police"); used to recognise the body in text.</summary>
    public string? ShortName { get; set; }
    public OrganisationType Type { get; set; }
    public string? GssCode { get; set; }
    public string? OdsCode { get; set; }
    public string? IcoNumber { get; set; }
    public DateOnly? IcoExpiry { get; set; }
    public DsptStatus? DsptStatus { get; set; }
    public DateOnly? DsptDate { get; set; }
    public CyberEssentialsLevel CyberEssentials { get; set; }
    public DateOnly? CyberEssentialsExpiry { get; set; }
    public DateOnly? Iso27001Expiry { get; set; }
    public string? DataProtectionOfficer { get; set; }
    public DateOnly? AdoptedFrameworkOn { get; set; }
    public string? Website { get; set; }
}

sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> e)
    {
        e.Property(o => o.Name).HasMaxLength(200);
        e.HasIndex(o => o.Name).IsUnique();
        e.Property(o => o.ShortName).HasMaxLength(60);
        e.Property(o => o.GssCode).HasMaxLength(9);
        e.HasIndex(o => o.GssCode).IsUnique();
        e.Property(o => o.OdsCode).HasMaxLength(10);
        e.HasIndex(o => o.OdsCode).IsUnique();
        e.Property(o => o.IcoNumber).HasMaxLength(20);
        e.Property(o => o.DataProtectionOfficer).HasMaxLength(200);
        e.Property(o => o.Website).HasMaxLength(300);
    }
}

public static class OrganisationTables
{
    extension(ConcordatDb db)
    {
        public DbSet<Organisation> Organisations => db.Set<Organisation>();
    }
}

public static class OrganisationText
{
    public static string Describe(this OrganisationType type) => type switch
    {
        OrganisationType.LocalAuthority => "Local authority",
        OrganisationType.GreaterLondonAuthority => "Greater London Authority",
        OrganisationType.FireAndRescue => "Fire and rescue",
        OrganisationType.Police => "Police",
        OrganisationType.Ambulance => "Ambulance service",
        OrganisationType.IntegratedCareBoard => "NHS integrated care board",
        OrganisationType.NhsTrust => "NHS trust",
        OrganisationType.PrimaryCare => "GP practice or primary care network",
        OrganisationType.Probation => "Probation",
        OrganisationType.Education => "Education",
        OrganisationType.HousingAssociation => "Housing association",
        OrganisationType.VoluntaryOrganisation => "Voluntary or community organisation",
        _ => "Other public body",
    };

    public static string Describe(this DsptStatus status) => status switch
    {
        DsptStatus.StandardsMet => "Standards met",
        DsptStatus.StandardsExceeded => "Standards exceeded",
        DsptStatus.ApprovedImprovementPlan => "Approaching standards (approved improvement plan)",
        DsptStatus.StandardsNotMet => "Standards not met",
        _ => "Not published",
    };

    public static string Describe(this CyberEssentialsLevel level) => level switch
    {
        CyberEssentialsLevel.CyberEssentials => "Cyber Essentials",
        CyberEssentialsLevel.CyberEssentialsPlus => "Cyber Essentials Plus",
        _ => "None recorded",
    };
}
