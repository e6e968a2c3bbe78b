using Concordat.Agreements;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Templates.SignOff;

public enum SignOffState { Open, Completed, Declined, Superseded }

public enum PartyDecision { Pending, Signed, Declined }

/// <summary>
/// An agreement sent to every party for sign-off: the visibility it will be published with, whether each party's data
/// protection officer reviews it first, and the document being signed (its hash), so a signature always refers to the
/// text that was sent.
/// </summary>
public sealed class SignOffRound
{
    public int Id { get; set; }
    public int AgreementId { get; set; }
    public SignOffState State { get; set; }
    public Visibility PublishAs { get; set; }
    public bool DpoReview { get; set; }
    /// <summary>Sent after activation to parties added since, who sign the same text alone; the agreement stays active meanwhile.</summary>
    public bool Joining { get; set; }
    /// <summary>SHA-256 of the agreement documents' latest versions, in file order, when sent.</summary>
    public required string DocumentHash { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public required string SentBy { get; set; }
    public List<PartySignature> Parties { get; set; } = [];
    /// <summary>Changed by every review, signature and decline, so two at once cannot both count the round as they read it (ConcurrentWrites).</summary>
    public int Revision { get; set; }
}

/// <summary>One party's part in a sign-off: its DPO's review when asked for, and its signatory's decision with a comment.</summary>
public sealed class PartySignature
{
    public int Id { get; set; }
    public int SignOffRoundId { get; set; }
    public int OrganisationId { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public string? ReviewComment { get; set; }
    public PartyDecision Decision { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? Comment { get; set; }
}

sealed class SignOffConfiguration : IEntityTypeConfiguration<SignOffRound>
{
    public void Configure(EntityTypeBuilder<SignOffRound> e)
    {
        e.ToTable("SignOffs");
        e.HasIndex(s => s.AgreementId);
        e.Property(s => s.DocumentHash).HasMaxLength(64);
        e.Property(s => s.SentBy).HasMaxLength(256);
        e.Property(s => s.Revision).IsConcurrencyToken();
        e.HasMany(s => s.Parties).WithOne().HasForeignKey(p => p.SignOffRoundId);
    }
}

sealed class PartySignatureConfiguration : IEntityTypeConfiguration<PartySignature>
{
    public void Configure(EntityTypeBuilder<PartySignature> e)
    {
        e.ToTable("PartySignatures");
        e.HasIndex(p => new { p.SignOffRoundId, p.OrganisationId }).IsUnique();
        e.Property(p => p.ReviewedBy).HasMaxLength(256);
        e.Property(p => p.ReviewComment).HasMaxLength(2000);
        e.Property(p => p.DecidedBy).HasMaxLength(256);
        e.Property(p => p.Comment).HasMaxLength(2000);
    }
}

public static class SignOffTables
{
    extension(ConcordatDb db)
    {
        public DbSet<SignOffRound> SignOffs => db.Set<SignOffRound>();
    }
}
