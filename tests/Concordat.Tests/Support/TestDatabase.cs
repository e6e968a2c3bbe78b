using Concordat.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Concordat.Tests.Support;

/// <summary>
/// A fixture's own database, on the provider the run asks for (CONCORDAT_TEST_DATABASE = sqlite, the default, or
/// postgres, with CONCORDAT_TEST_POSTGRES naming the server). The schema is migrated once per test process into a
/// template, and each fixture gets a copy: a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL. The app
/// still runs its own migration at start, which then finds nothing to do.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public static DatabaseProvider Provider { get; } =
        System.Environment.GetEnvironmentVariable("CONCORDAT_TEST_DATABASE")?.Trim().ToLowerInvariant() is "postgres" or "postgresql"
            ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    /// <summary>The server for PostgreSQL runs, without a database name.</summary>
    public static string PostgresServer { get; } =
        System.Environment.GetEnvironmentVariable("CONCORDAT_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres";

    public string ConnectionString { get; }
    readonly string? _postgresName;

    TestDatabase(string connectionString, string? postgresName) => (ConnectionString, _postgresName) = (connectionString, postgresName);

    /// <summary>The settings that point the app at this database.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Concordat:Database:Provider"] = Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
        ["ConnectionStrings:Concordat"] = ConnectionString,
    };

    /// <summary>The same settings as environment variables, for the app started as a process of its own.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => Settings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value);

    static readonly SemaphoreSlim Creating = new(1, 1);
    static string? _template;

    public static TestDatabase Create(string folder)
    {
        Creating.Wait();
        try
        {
            _template ??= Provider == DatabaseProvider.Postgres ? MigratePostgresTemplate() : MigrateSqliteTemplate();
            if (Provider == DatabaseProvider.Sqlite)
            {
                var path = Path.Combine(folder, "concordat.db");
                File.Copy(_template, path);
                return new TestDatabase($"Data Source={path}", null);
            }
            var name = $"concordat_t_{Guid.NewGuid():N}";
            Execute($"CREATE DATABASE {name} TEMPLATE {_template}");
            return new TestDatabase(Postgres(name), name);
        }
        finally
        {
            Creating.Release();
        }
    }

    /// <summary>A database with no schema at all, as a new install starts, for tests of migrating.</summary>
    public static TestDatabase CreateEmpty(string folder)
    {
        if (Provider == DatabaseProvider.Sqlite) return new TestDatabase($"Data Source={Path.Combine(folder, "empty.db")}", null);
        var name = $"concordat_e_{Guid.NewGuid():N}";
        Execute($"CREATE DATABASE {name}");
        return new TestDatabase(Postgres(name), name);
    }

    /// <summary>A connection string for a database on the run's PostgreSQL server.</summary>
    public static string Postgres(string database) => new NpgsqlConnectionStringBuilder(PostgresServer) { Database = database }.ConnectionString;

    static string MigrateSqliteTemplate()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("concordat-template-").FullName, "template.db");
        using (var db = new ConcordatDb(new DbContextOptionsBuilder<ConcordatDb>().UseSqlite($"Data Source={path};Pooling=False").Options))
            db.Database.Migrate();
        return path;
    }

    static string MigratePostgresTemplate()
    {
        // One per test process: the integration and browser projects run side by side.
        var name = $"concordat_template_{System.Environment.ProcessId}";
        Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        Execute($"CREATE DATABASE {name}");
        var options = new DbContextOptionsBuilder<PostgresConcordatDb>().UseNpgsql(Postgres(name) + ";Pooling=false").Options;
        using (var db = new PostgresConcordatDb(options)) db.Database.Migrate();
        return name;
    }

    static void Execute(string sql) => OnPostgres("postgres", sql);

    /// <summary>Runs one statement on a database of the run's PostgreSQL server, unpooled; its first value, if any.</summary>
    public static object? OnPostgres(string database, string sql)
    {
        using var connection = new NpgsqlConnection(Postgres(database) + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        if (_postgresName is null)
        {
            SqliteConnection.ClearAllPools();
            return;
        }
        using (var connection = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(connection);
        try { Execute($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)"); } catch (NpgsqlException) { }
    }
}
