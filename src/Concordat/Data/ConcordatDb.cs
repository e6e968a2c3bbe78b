using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Data;

/// <summary>
/// The one database context. It knows no feature: each feature folder maps its own entities with
/// IEntityTypeConfiguration and reaches its tables through an extension property declared beside them.
/// Identity's tables use the framework's own IdentityUser, so no feature type leaks in here either.
/// </summary>
public sealed class ConcordatDb(DbContextOptions<ConcordatDb> options) : IdentityDbContext<IdentityUser>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ConcordatDb).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Enums are stored by name: readable in the database and stable if members are reordered.
        configuration.Properties<Enum>().HaveConversion<string>().HaveMaxLength(64);
    }
}
