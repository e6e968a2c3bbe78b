using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Data;

public static class DatabaseSetup
{
    public const string DefaultConnectionString = "Data Source=data/concordat.db";

    /// <summary>Registers the DbContext on the configured provider (SQLite, the embedded default).</summary>
    public static IServiceCollection AddConcordatDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Concordat") ?? DefaultConnectionString;
        var provider = configuration["Concordat:Database:Provider"] ?? "sqlite";
        if (!provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Database provider '{provider}' is not supported yet; use 'sqlite'.");

        EnsureFolderFor(connectionString);
        // Features contribute interceptors (the audit chain) through DI, so Data needs to know none of them.
        services.AddDbContext<ConcordatDb>((sp, options) => options
            // A list in a query (ids.Contains(a.Id)) goes as one JSON parameter read with json_each, not as one parameter
            // per item: with 500 ids and split includes, EF's per-item default allocated about 80 KB per row per include
            // and was five times slower (measured on the export's batches).
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(ConcordatDb).Assembly.FullName)
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(new SqlitePragmas())
            .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
        return services;
    }

    /// <summary>SQLite will not create the folder of its file; do it so a fresh clone just runs.</summary>
    static void EnsureFolderFor(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        await db.Database.MigrateAsync(ct);
        // WAL lets readers carry on while an upload commits.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}
