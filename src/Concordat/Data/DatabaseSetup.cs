using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Concordat.Data;

/// <summary>Which database Concordat runs on: Concordat:Database:Provider = sqlite (the embedded default) or postgres.</summary>
public enum DatabaseProvider { Sqlite, Postgres }

public static class DatabaseSetup
{
    public const string DefaultConnectionString = "Data Source=data/concordat.db";

    public static DatabaseProvider ProviderOf(IConfiguration configuration) =>
        (configuration["Concordat:Database:Provider"] ?? "sqlite").Trim().ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" => DatabaseProvider.Postgres,
            var other => throw new InvalidOperationException(
                $"Concordat:Database:Provider is '{other}'. Use 'sqlite' (the embedded default) or 'postgres'."),
        };

    /// <summary>Registers the DbContext on the configured provider. Features always ask for ConcordatDb.</summary>
    public static IServiceCollection AddConcordatDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ProviderOf(configuration);
        var connectionString = configuration.GetConnectionString("Concordat")
            ?? (provider == DatabaseProvider.Sqlite ? DefaultConnectionString
                : throw new InvalidOperationException("ConnectionStrings:Concordat is required when Concordat:Database:Provider is 'postgres'."));
        services.AddSingleton(new DatabaseOptions(provider, connectionString));
        services.AddSingleton<SerializedWritesInterceptor>();
        services.AddSingleton<NodeName>();

        if (provider == DatabaseProvider.Sqlite)
        {
            EnsureFolderFor(connectionString);
            // Features contribute interceptors (the audit chain, the search outbox) through DI, so Data needs to know none of them.
            // SerializedWrites comes first so that it commits before any other interceptor reacts to a save.
            services.AddDbContext<ConcordatDb>((sp, options) => options
                // A list in a query (ids.Contains(a.Id)) goes as one JSON parameter read with json_each, not as one parameter
                // per item: with 500 ids and split includes, EF's per-item default allocated about 80 KB per row per include
                // and was five times slower (measured on the export's batches).
                .UseSqlite(connectionString, sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(new SqlitePragmas(), sp.GetRequiredService<SerializedWritesInterceptor>())
                .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
        }
        else
        {
            services.AddDbContext<ConcordatDb, PostgresConcordatDb>((sp, options) => UsePostgres(options, connectionString)
                .AddInterceptors(sp.GetRequiredService<SerializedWritesInterceptor>())
                .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
        }
        return services;
    }

    internal static DbContextOptionsBuilder UsePostgres(DbContextOptionsBuilder options, string connectionString) =>
        // A list in a query goes as one array parameter (= ANY(@ids)), as on SQLite it goes as one JSON parameter.
        options.UseNpgsql(connectionString, npgsql => npgsql.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));

    /// <summary>SQLite will not create the folder of its file; do it so a fresh clone just runs.</summary>
    static void EnsureFolderFor(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }

    /// <summary>
    /// Whether the app migrates its database as it starts: in Development and Testing (and when
    /// Concordat:Database:MigrateOnStart says so). Elsewhere migrating is a step of its own, `concordat migrate`, run once
    /// per release before the nodes start, and a node refuses to start on a database that still needs it.
    /// </summary>
    public static bool MigratesOnStart(IHostEnvironment environment, IConfiguration configuration) =>
        configuration.GetValue<bool?>("Concordat:Database:MigrateOnStart") ?? (environment.IsDevelopment() || environment.IsEnvironment("Testing"));

    /// <summary>Applies every pending migration; returns how many there were.</summary>
    public static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await RefuseAForkedChainAsync(db, pending, ct);
        await db.Database.MigrateAsync(ct); // EF takes its own database lock, so two nodes migrating at once apply each migration once
        // WAL lets readers carry on while an upload commits.
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        return pending.Count;
    }

    /// <summary>
    /// The migration that makes each audit event's previous hash unique cannot run on a trail that already forked (two
    /// writers before the database lock): say so, rather than fail inside the migration.
    /// </summary>
    static async Task RefuseAForkedChainAsync(ConcordatDb db, IReadOnlyList<string> pending, CancellationToken ct)
    {
        // Nothing to check when that migration is done already, or on a new database (every migration pending).
        if (!pending.Any(m => m.EndsWith("_ConcurrencyAndCounters", StringComparison.Ordinal)) || pending.Count == db.Database.GetMigrations().Count()) return;
        var forks = await db.Database.SqlQueryRaw<int>(
            """SELECT COUNT(*) AS "Value" FROM (SELECT "PreviousHash" FROM "AuditEvent" GROUP BY "PreviousHash" HAVING COUNT(*) > 1) AS f""").SingleAsync(ct);
        if (forks > 0)
            throw new InvalidOperationException($"The audit trail forks at {forks} event(s): two events follow the same one. `concordat audit verify` names the first; " +
                "keep a copy of the database, then ask for the trail to be re-chained before migrating.");
    }

    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ConcordatDb>().Database.GetPendingMigrationsAsync(ct)).ToList();
    }

    /// <summary>
    /// Held while a node seeds its database at start (the region's organisations, the starter templates, the administrator),
    /// so two nodes starting at once do not both insert them. PostgreSQL: a session advisory lock on a connection of its own.
    /// SQLite has one node; a command-line verb started beside it is kept right by the unique indexes.
    /// </summary>
    public static async Task<IAsyncDisposable> StartUpLockAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var options = services.GetRequiredService<DatabaseOptions>();
        if (options.Provider != DatabaseProvider.Postgres) return new StartUpLock(null);
        // Unpooled: closing it must end the session, and with it the lock (a pooled connection would keep both).
        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({StartUpLockKey})", connection))
            await command.ExecuteNonQueryAsync(ct);
        return new StartUpLock(connection);
    }

    const long StartUpLockKey = 0x436F6E636F7273; // "Concors"

    sealed class StartUpLock(Npgsql.NpgsqlConnection? connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection is null) return;
            await connection.DisposeAsync(); // closing the session releases its advisory lock
        }
    }
}

public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString);

/// <summary>For `dotnet ef migrations add … --context ConcordatDb` (SQLite, Data/Migrations/Sqlite).</summary>
sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<ConcordatDb>
{
    public ConcordatDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ConcordatDb>().UseSqlite(DatabaseSetup.DefaultConnectionString).Options);
}

/// <summary>
/// For `dotnet ef migrations add … --context PostgresConcordatDb`: the tools build the PostgreSQL context from this,
/// without a server (adding a migration does not connect).
/// </summary>
sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresConcordatDb>
{
    public PostgresConcordatDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresConcordatDb>();
        DatabaseSetup.UsePostgres(options, "Host=localhost;Database=concordat_design");
        return new PostgresConcordatDb(options.Options);
    }
}
