using System.Security.Cryptography;
using System.Text;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Audit;

/// <summary>
/// One entry of the append-only audit trail. Each holds the SHA-256 of the event before it and of its
/// own content, so editing or deleting any event but the newest breaks the chain where it was changed.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The UTC day of <see cref="At"/>, for filtering by date in any database (SQLite cannot compare offsets). Not hashed: derived.</summary>
    public DateOnly Day { get; set; }
    /// <summary>Who: the person's email, "anonymous", or the process (e.g. "command line").</summary>
    public required string Actor { get; set; }
    /// <summary>What happened, as a stable word: agreement.created, file.uploaded, token.revoked ...</summary>
    public required string Action { get; set; }
    /// <summary>What it happened to: "agreement:12", "token:3".</summary>
    public required string Subject { get; set; }
    /// <summary>The organisation the actor acted for or the event concerns (an agreement's lead, a person's organisation).</summary>
    public int? OrganisationId { get; set; }
    /// <summary>JSON: the facts of the event, with before and after for changes.</summary>
    public string Details { get; set; } = "{}";
    /// <summary>
    /// The time exactly as the hash covers it ("O" format), kept when the stored time may lose digits: PostgreSQL keeps
    /// microseconds, and events written on SQLite before they were rounded carry ten-millionths. Null: <see cref="At"/> itself.
    /// </summary>
    public string? HashedTime { get; set; }
    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";

    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The hash of this event's content chained to the previous event's hash.</summary>
    public string ComputeHash()
    {
        // Unit separators keep fields from running into each other ("ab"+"c" differs from "a"+"bc").
        var content = string.Join('\u001f', PreviousHash, HashedTime ?? At.ToUniversalTime().ToString("O"), Actor, Action, Subject, Details);
        // Added after the first events were written: included only when set, so older hashes still verify.
        if (OrganisationId is int organisation) content += '\u001f' + organisation.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }
}

sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.Property(a => a.Actor).HasMaxLength(254);
        e.Property(a => a.Action).HasMaxLength(60);
        e.Property(a => a.Subject).HasMaxLength(100);
        e.Property(a => a.PreviousHash).HasMaxLength(64).IsFixedLength();
        e.Property(a => a.Hash).HasMaxLength(64).IsFixedLength();
        e.Property(a => a.HashedTime).HasMaxLength(40);
        // One event per predecessor: a fork in the chain cannot be written, whatever bypassed the write lock.
        e.HasIndex(a => a.PreviousHash).IsUnique();
        e.HasIndex(a => a.Subject);
        e.HasIndex(a => a.At);
        e.HasIndex(a => a.Day);
        e.HasIndex(a => a.OrganisationId);
        e.HasIndex(a => a.Actor);
    }
}

public static class AuditTables
{
    extension(ConcordatDb db)
    {
        public DbSet<AuditEvent> AuditEvents => db.Set<AuditEvent>();
    }
}
