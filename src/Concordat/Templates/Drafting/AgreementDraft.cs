using System.Text.Json;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Templates.Drafting;

/// <summary>
/// An agreement being drafted from a pre-approved template version: the answers so far, saved page by page so the
/// drafter can leave and come back. Once created in the register it points at the agreement.
/// </summary>
public sealed class AgreementDraft
{
    public int Id { get; set; }
    public int TemplateVersionId { get; set; }
    public TemplateVersion? TemplateVersion { get; set; }
    public int LeadOrganisationId { get; set; }
    /// <summary>The person drafting: only they see the draft.</summary>
    public required string UserId { get; set; }
    /// <summary>Each question's answer as text, by question key (see <see cref="DraftAnswers"/> for each type's form).</summary>
    public Dictionary<string, string> Answers { get; set; } = [];
    /// <summary>The drafter's own wording of a section, by section key, where they changed the template's (see <see cref="DraftDocument"/>).</summary>
    public Dictionary<string, string> Wording { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The register's agreement made from this draft, once made.</summary>
    public int? AgreementId { get; set; }
}

sealed class AgreementDraftConfiguration : IEntityTypeConfiguration<AgreementDraft>
{
    public void Configure(EntityTypeBuilder<AgreementDraft> e)
    {
        e.ToTable("AgreementDrafts");
        e.Property(d => d.UserId).HasMaxLength(450);
        e.HasIndex(d => d.UserId);
        e.HasOne(d => d.TemplateVersion).WithMany().HasForeignKey(d => d.TemplateVersionId);
        AsJson(e.Property(d => d.Answers));
        AsJson(e.Property(d => d.Wording)); // the migration fills "{}" into drafts made before it
    }

    static PropertyBuilder<Dictionary<string, string>> AsJson(PropertyBuilder<Dictionary<string, string>> property) => property.HasConversion(
        values => JsonSerializer.Serialize(values, (JsonSerializerOptions?)null),
        json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
        new ValueComparer<Dictionary<string, string>>(
            (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
            d => d.Aggregate(0, (hash, kv) => HashCode.Combine(hash, kv.Key, kv.Value)),
            d => new Dictionary<string, string>(d)));
}

public static class DraftTables
{
    extension(ConcordatDb db)
    {
        public DbSet<AgreementDraft> AgreementDrafts => db.Set<AgreementDraft>();
    }
}
