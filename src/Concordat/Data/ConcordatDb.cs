using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Data;

/// <summary>
/// The one database context. It knows no feature: each feature folder maps its own entities with
/// IEntityTypeConfiguration and reaches its tables through an extension property declared beside them.
/// Identity's tables use the framework's own IdentityUser, so no feature type leaks in here either.
/// This type is the context on SQLite (its migrations are in Data/Migrations/Sqlite); PostgreSQL uses
/// <see cref="PostgresConcordatDb"/>, the same model with migrations of its own. Features ask for ConcordatDb either way.
/// </summary>
public class ConcordatDb : IdentityDbContext<IdentityUser>, IDataProtectionKeyContext
{
    /// <summary>The keys that protect sign-in cookies and anti-forgery tokens: in the database, so every node reads the same ring.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public ConcordatDb(DbContextOptions<ConcordatDb> options) : base(options) { }

    protected ConcordatDb(DbContextOptions options) : base(options) { }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ConcordatDb).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Enums are stored by name: readable in the database and stable if members are reordered.
        configuration.Properties<Enum>().HaveConversion<string>().HaveMaxLength(64);
        // SQLite has no timestamp type: EF keeps a DateTimeOffset as text but will not order or compare by it. Written
        // as the same text, always in UTC, it sorts as time does, so features query times alike on either database.
        if (Database.IsSqlite()) configuration.Properties<DateTimeOffset>().HaveConversion<SqliteUtcTimestamp>();
    }
}

/// <summary>A DateTimeOffset as SQLite's EF provider writes it ("2026-12-03 15:20:00.1234567+00:00"), normalised to UTC.</summary>
sealed class SqliteUtcTimestamp() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, string>(
    v => v.ToUniversalTime().ToString(Format, System.Globalization.CultureInfo.InvariantCulture),
    s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None))
{
    const string Format = "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz";
}

/// <summary>The context on PostgreSQL: a type of its own only so that EF finds its own migrations (Data/Migrations/Postgres).</summary>
public sealed class PostgresConcordatDb(DbContextOptions<PostgresConcordatDb> options) : ConcordatDb(options);
