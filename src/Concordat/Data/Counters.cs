using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Data;

/// <summary>A named number that only goes up, such as the last agreement reference of a year.</summary>
public sealed class Counter
{
    public required string Name { get; set; }
    public int Value { get; set; }
}

sealed class CounterConfiguration : IEntityTypeConfiguration<Counter>
{
    public void Configure(EntityTypeBuilder<Counter> e)
    {
        e.ToTable("Counter");
        e.HasKey(c => c.Name);
        e.Property(c => c.Name).HasMaxLength(100);
    }
}

public static class Counters
{
    /// <summary>
    /// Draws the next number of a counter, at least <paramref name="atLeast"/>, in one statement. Call it inside the
    /// transaction that uses the number: PostgreSQL keeps the counter's row locked and SQLite holds its write lock until
    /// that transaction ends, so two writers never draw the same number, and a rolled-back one leaves no gap.
    /// </summary>
    public static async Task<int> NextAsync(ConcordatDb db, string name, int atLeast, CancellationToken ct)
    {
        var greatest = db.Database.IsNpgsql() ? "GREATEST" : "max"; // SQLite's two-argument max() is PostgreSQL's GREATEST()
        var values = await db.Database.SqlQueryRaw<int>(
            $$"""
             INSERT INTO "Counter" ("Name", "Value") VALUES ({0}, {1})
             ON CONFLICT ("Name") DO UPDATE SET "Value" = {{greatest}}("Counter"."Value" + 1, excluded."Value")
             RETURNING "Value"
             """, name, atLeast).ToListAsync(ct);
        return values.Single();
    }
}
