using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Data;

/// <summary>Who runs a scheduled job across every node, and until when. Times are Unix milliseconds: compared alike on either database.</summary>
public sealed class Lease
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    public long ExpiresAt { get; set; }
}

sealed class LeaseConfiguration : IEntityTypeConfiguration<Lease>
{
    public void Configure(EntityTypeBuilder<Lease> e)
    {
        e.ToTable("Lease");
        e.HasKey(l => l.Name);
        e.Property(l => l.Name).HasMaxLength(100);
        e.Property(l => l.Holder).HasMaxLength(200);
    }
}

/// <summary>This app instance, as leases name it: several nodes share one database, each with a name of its own.</summary>
public sealed class NodeName
{
    public string Value { get; } = $"{Environment.MachineName[..Math.Min(100, Environment.MachineName.Length)]}/{Environment.ProcessId}/{Guid.NewGuid():N}";
}

public static class Leases
{
    const string Take = """
        INSERT INTO "Lease" ("Name", "Holder", "ExpiresAt") VALUES ({0}, {1}, {2})
        ON CONFLICT ("Name") DO UPDATE SET "Holder" = excluded."Holder", "ExpiresAt" = excluded."ExpiresAt"
        WHERE "Lease"."ExpiresAt" <= {3} OR "Lease"."Holder" = excluded."Holder"
        """;

    /// <summary>
    /// Takes the named lease for <paramref name="period"/> when no other node holds it (or theirs ran out), or renews this
    /// node's own: one statement, so two nodes asking at once cannot both get it. A job that takes its lease for its whole
    /// period runs once per period across nodes, whichever node's timer fires first; a node that dies only delays the
    /// next run until its lease runs out.
    /// </summary>
    public static async Task<bool> TryTakeAsync(ConcordatDb db, string name, NodeName node, TimeSpan period, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.Database.ExecuteSqlRawAsync(Take, [name, node.Value, now + (long)period.TotalMilliseconds, now], ct) == 1;
    }

    /// <summary>Gives a lease up, so another node need not wait for it to run out.</summary>
    public static Task ReleaseAsync(ConcordatDb db, string name, NodeName node, CancellationToken ct) =>
        db.Set<Lease>().Where(l => l.Name == name && l.Holder == node.Value).ExecuteDeleteAsync(ct);
}
