using System.Security.Cryptography;
using System.Text;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Accounts;

/// <summary>A personal API token. Only its SHA-256 is stored; the token itself is shown once.</summary>
public sealed class ApiToken
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public required string Hash { get; set; }
    /// <summary>The first characters, so a person can tell their tokens apart on the account page.</summary>
    public required string Prefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    /// <summary>A read-only token may read whatever its person may read, and change nothing.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The claim a read-only token's requests carry.</summary>
    public const string ReadOnlyClaim = Organisations.Viewer.ReadOnlyClaim;

    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;

    public const string TokenPrefix = "cdt_";

    public static string NewSecret() =>
        TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> e)
    {
        e.Property(t => t.Hash).HasMaxLength(64).IsFixedLength();
        e.HasIndex(t => t.Hash).IsUnique();
        e.Property(t => t.Name).HasMaxLength(100);
        e.Property(t => t.Prefix).HasMaxLength(12);
        e.HasIndex(t => t.UserId);
        e.HasOne<Microsoft.AspNetCore.Identity.IdentityUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class AccountTables
{
    extension(ConcordatDb db)
    {
        public DbSet<ApiToken> ApiTokens => db.Set<ApiToken>();
        public DbSet<PasswordAttempt> PasswordAttempts => db.Set<PasswordAttempt>();
    }
}
