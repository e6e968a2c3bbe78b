using Concordat.Data;
using Concordat.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Agreements;

/// <summary>The minimal agreement record of DOMAIN.md: quick to start, complete at publication.</summary>
public sealed class Agreement
{
    public int Id { get; set; }
    /// <summary>Stable, human-readable: DSA-{year created}-{id:00000}.</summary>
    public string Reference { get; set; } = "";
    public required string Title { get; set; }
    public AgreementType? AgreementType { get; set; }
    public string? Purpose { get; set; }
    public string? Benefits { get; set; }
    /// <summary>The agreement's full statement of what is shared and why, as long as it is: real ones run to thousands of words; the purpose stays short for lists.</summary>
    public string? Description { get; set; }
    public int LeadOrganisationId { get; set; }
    public Organisation? LeadOrganisation { get; set; }
    public List<AgreementParty> Parties { get; set; } = [];
    public List<DataFlow> DataFlows { get; set; } = [];
    public List<DataSubject> DataSubjects { get; set; } = [];
    public List<Sensitivity> Sensitivities { get; set; } = [];
    public List<LawfulBasis> LawfulBases { get; set; } = [];
    /// <summary>Art 9 / Art 10 condition with its DPA 2018 Schedule 1 paragraph.</summary>
    public string? SpecialCategoryCondition { get; set; }
    public List<string> LegalPowers { get; set; } = [];
    public bool PanLondon { get; set; }
    /// <summary>GSS codes of the boroughs covered.</summary>
    public List<string> BoroughCodes { get; set; } = [];
    public List<Theme> Themes { get; set; } = [];
    public DpiaStatus? Dpia { get; set; }
    public AgreementStatus Status { get; set; } = AgreementStatus.Draft;
    public DateOnly? StartDate { get; set; }
    public DateOnly? ReviewDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public string? VersionLabel { get; set; }
    public int? SupersedesId { get; set; }
    public Agreement? Supersedes { get; set; }
    /// <summary>The pre-approved template and version it was built on; null for a legacy agreement.</summary>
    public string? TemplateReference { get; set; }
    /// <summary>Drafted from a template, with wording the template fixes changed: the difference is shown and approved in Templates/Departures.</summary>
    public bool DepartsFromTemplate { get; set; }
    public Visibility Visibility { get; set; } = Visibility.Public;
    /// <summary>A role mailbox, shown on the public page.</summary>
    public string? ContactEmail { get; set; }
    public List<AgreementFile> Files { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Set when the record first passes the publication checks; null while a draft.</summary>
    public DateTimeOffset? PublishedAt { get; set; }
    public string? CreatedBy { get; set; }
    /// <summary>What an import knows the agreement by (the lead's own reference, or its title), so importing again updates it.</summary>
    public string? ImportKey { get; set; }

    public bool IsPublished => PublishedAt is not null;
    /// <summary>Drafted from a template and not yet sent: it changes through its draft, which writes the record and the documents together.</summary>
    public bool ChangesThroughItsDraft => TemplateReference is not null && !IsPublished && Status == AgreementStatus.Draft;
}

public sealed class AgreementParty
{
    public int Id { get; set; }
    public int AgreementId { get; set; }
    public int OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public PartyRole Role { get; set; }
}

public sealed class DataFlow
{
    public int Id { get; set; }
    public int AgreementId { get; set; }
    public int FromOrganisationId { get; set; }
    public Organisation? FromOrganisation { get; set; }
    public int ToOrganisationId { get; set; }
    public Organisation? ToOrganisation { get; set; }
    public required string DataItems { get; set; }
    public FlowFrequency Frequency { get; set; }
}

/// <summary>One document of an agreement (the agreement itself, its DPIA, ...); each upload is a version.</summary>
public sealed class AgreementFile
{
    public int Id { get; set; }
    public int AgreementId { get; set; }
    public Agreement? Agreement { get; set; }
    public FileKind Kind { get; set; }
    /// <summary>Narrower than the agreement when set (a partners-only DPIA on a public agreement); null follows the agreement.</summary>
    public Visibility? Visibility { get; set; }
    /// <summary>The party organisation that added the file, whose editors keep it; null for the lead's own documents.</summary>
    public int? ContributedByOrganisationId { get; set; }
    public Organisation? ContributedBy { get; set; }
    public List<FileVersion> Versions { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class FileVersion
{
    public int Id { get; set; }
    public int AgreementFileId { get; set; }
    public AgreementFile? File { get; set; }
    public int Number { get; set; }
    public required string FileName { get; set; }
    public required string MediaType { get; set; }
    /// <summary>Lower-case hex SHA-256: the blob's address in the store and the key of its text.</summary>
    public required string Sha256 { get; set; }
    public long SizeBytes { get; set; }
    public int? PageCount { get; set; }
    public bool HasText { get; set; }
    public Concordat.Documents.TextSource TextSource { get; set; }
    /// <summary>While a node reads this version's scanned pages (<see cref="TextRecognition"/>): until when it holds them.</summary>
    public DateTime? TextReadingClaimedUntil { get; set; }
    /// <summary>How many times reading its scanned pages has been started; the queue gives up after a few.</summary>
    public int TextReadingAttempts { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public string? UploadedBy { get; set; }
}

/// <summary>Extracted text, one row per distinct blob, kept apart so lists never load it.</summary>
public sealed class FileText
{
    public required string Sha256 { get; set; }
    public required string Text { get; set; }
}

sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> e)
    {
        e.Property(a => a.Reference).HasMaxLength(20);
        e.HasIndex(a => a.Reference).IsUnique();
        e.Property(a => a.ImportKey).HasMaxLength(200);
        e.HasIndex(a => new { a.LeadOrganisationId, a.ImportKey }).IsUnique();
        e.Property(a => a.Title).HasMaxLength(AgreementLimits.Title);
        e.Property(a => a.Purpose).HasMaxLength(AgreementLimits.LongText);
        e.Property(a => a.Benefits).HasMaxLength(AgreementLimits.LongText);
        e.Property(a => a.Description).HasMaxLength(AgreementLimits.Description);
        e.Property(a => a.SpecialCategoryCondition).HasMaxLength(AgreementLimits.ShortText);
        e.Property(a => a.TemplateReference).HasMaxLength(100);
        e.Property(a => a.VersionLabel).HasMaxLength(40);
        e.Property(a => a.ContactEmail).HasMaxLength(254);
        e.Property(a => a.CreatedBy).HasMaxLength(254);
        e.HasOne(a => a.LeadOrganisation).WithMany().HasForeignKey(a => a.LeadOrganisationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(a => a.Supersedes).WithMany().HasForeignKey(a => a.SupersedesId).OnDelete(DeleteBehavior.SetNull);
        e.HasMany(a => a.Parties).WithOne().HasForeignKey(p => p.AgreementId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(a => a.DataFlows).WithOne().HasForeignKey(f => f.AgreementId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(a => a.Files).WithOne(f => f.Agreement).HasForeignKey(f => f.AgreementId).OnDelete(DeleteBehavior.Cascade);
        e.PrimitiveCollection(a => a.DataSubjects).ElementType().HasConversion<string>();
        e.PrimitiveCollection(a => a.Sensitivities).ElementType().HasConversion<string>();
        e.PrimitiveCollection(a => a.LawfulBases).ElementType().HasConversion<string>();
        e.PrimitiveCollection(a => a.Themes).ElementType().HasConversion<string>();
        e.PrimitiveCollection(a => a.LegalPowers);
        e.PrimitiveCollection(a => a.BoroughCodes);
        e.HasIndex(a => a.Title);
        e.HasIndex(a => a.ReviewDate);
        e.HasIndex(a => a.Status);
    }
}

sealed class AgreementPartyConfiguration : IEntityTypeConfiguration<AgreementParty>
{
    public void Configure(EntityTypeBuilder<AgreementParty> e)
    {
        e.HasIndex(p => new { p.AgreementId, p.OrganisationId }).IsUnique();
        e.HasIndex(p => p.OrganisationId);
        e.HasOne(p => p.Organisation).WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class DataFlowConfiguration : IEntityTypeConfiguration<DataFlow>
{
    public void Configure(EntityTypeBuilder<DataFlow> e)
    {
        e.Property(f => f.DataItems).HasMaxLength(AgreementLimits.ShortText);
        e.HasOne(f => f.FromOrganisation).WithMany().HasForeignKey(f => f.FromOrganisationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(f => f.ToOrganisation).WithMany().HasForeignKey(f => f.ToOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class AgreementFileConfiguration : IEntityTypeConfiguration<AgreementFile>
{
    public void Configure(EntityTypeBuilder<AgreementFile> e)
    {
        e.HasMany(f => f.Versions).WithOne(v => v.File).HasForeignKey(v => v.AgreementFileId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(f => f.ContributedBy).WithMany().HasForeignKey(f => f.ContributedByOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class FileVersionConfiguration : IEntityTypeConfiguration<FileVersion>
{
    public void Configure(EntityTypeBuilder<FileVersion> e)
    {
        e.Property(v => v.FileName).HasMaxLength(200);
        e.Property(v => v.MediaType).HasMaxLength(100);
        e.Property(v => v.Sha256).HasMaxLength(64).IsFixedLength();
        e.Property(v => v.UploadedBy).HasMaxLength(254);
        e.HasIndex(v => v.Sha256);
        e.HasIndex(v => new { v.AgreementFileId, v.Number }).IsUnique();
        e.HasIndex(v => v.TextSource);
    }
}

sealed class FileTextConfiguration : IEntityTypeConfiguration<FileText>
{
    public void Configure(EntityTypeBuilder<FileText> e)
    {
        e.HasKey(t => t.Sha256);
        e.Property(t => t.Sha256).HasMaxLength(64).IsFixedLength();
    }
}

public static class AgreementTables
{
    extension(ConcordatDb db)
    {
        public DbSet<Agreement> Agreements => db.Set<Agreement>();
        public DbSet<AgreementParty> AgreementParties => db.Set<AgreementParty>();
        public DbSet<AgreementFile> AgreementFiles => db.Set<AgreementFile>();
        public DbSet<FileVersion> FileVersions => db.Set<FileVersion>();
        public DbSet<FileText> FileTexts => db.Set<FileText>();
    }
}

public static class AgreementLimits
{
    public const int Title = 250;
    public const int ShortText = 1000;
    public const int LongText = 4000;
    public const int Description = 100_000;
    public const int PurposeWords = 300;
    public const int MaxParties = 60;
    public const int MaxFlows = 60;
}
