using System.Net;
using System.Security.Claims;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Documents;
using Concordat.Organisations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Concordat.Bench;

/// <summary>
/// The real app over a fresh SQLite file and blob folder in its own temporary directory, with demo data off and
/// an administrator the benchmark signs in as. Served by Kestrel on a loopback port (real HTTP) unless asked for
/// the in-memory TestServer. With a <see cref="StageClock"/> the blob store and the database are instrumented.
/// </summary>
sealed class BenchApp : WebApplicationFactory<Program>
{
    public const string AdminEmail = "bench-admin@bench.example";
    public const string AdminPassword = "a long benchmark password";

    readonly StageClock? _clock;
    readonly string? _sqliteSynchronous;
    readonly bool _searchIndexer;
    readonly IInterceptor[] _interceptors;

    /// <param name="searchIndexer">
    /// False takes the app's background search indexer out, so that the search benchmark applies the outbox itself
    /// (through the same <c>SearchIndex.ApplyPendingAsync</c>) and can time it.
    /// </param>
    /// <param name="interceptors">EF Core interceptors added to the app's own, to observe its database work.</param>
    public BenchApp(bool kestrel, StageClock? clock = null, string? sqliteSynchronous = null, bool searchIndexer = true, params IInterceptor[] interceptors)
    {
        _clock = clock;
        _sqliteSynchronous = sqliteSynchronous;
        _searchIndexer = searchIndexer;
        _interceptors = interceptors;
        if (kestrel) UseKestrel(0);
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("concordat-bench-app-").FullName;
    public string BlobRoot => Path.Combine(Root, "blobs");
    public string DatabasePath => Path.Combine(Root, "concordat.db");

    /// <summary>
    /// The database the benchmark runs on: SQLite (a file in <see cref="Root"/>) unless CONCORDAT_BENCH_DATABASE=postgres,
    /// then a database of its own on the server CONCORDAT_BENCH_POSTGRES names (default: the tests' loopback server),
    /// dropped afterwards.
    /// </summary>
    public static bool OnPostgres => Environment.GetEnvironmentVariable("CONCORDAT_BENCH_DATABASE") is "postgres";
    readonly string _postgresName = $"concordat_bench_{Guid.NewGuid():N}";
    static string PostgresServer => Environment.GetEnvironmentVariable("CONCORDAT_BENCH_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres";
    /// <summary>The connection string of a database on the benchmark's PostgreSQL server.</summary>
    internal static string Postgres(string database) => new Npgsql.NpgsqlConnectionStringBuilder(PostgresServer) { Database = database }.ConnectionString;

    /// <summary>The PostgreSQL database's size on disk (pg_database_size), as the SQLite file's size is measured.</summary>
    public long PostgresDatabaseBytes()
    {
        using var connection = new Npgsql.NpgsqlConnection(Postgres(_postgresName) + ";Pooling=false");
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Runs a statement on the server itself (CREATE or DROP DATABASE).</summary>
    internal static void OnServer(string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(Postgres("postgres") + ";Pooling=false");
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Settings shared with the raw extraction pass, so both read documents the same way.</summary>
    public static DocumentOptions DocumentOptions(string blobRoot) => new() { BlobRoot = blobRoot, OcrEnabled = false };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Benchmark");
        if (OnPostgres)
        {
            OnServer($"CREATE DATABASE {_postgresName}");
            builder.UseSetting("Concordat:Database:Provider", "postgres");
            builder.UseSetting("ConnectionStrings:Concordat", Postgres(_postgresName));
        }
        else builder.UseSetting("ConnectionStrings:Concordat", $"Data Source={DatabasePath}");
        // The Benchmark environment is neither Development nor Testing: migrate as the app starts, as they do.
        builder.UseSetting("Concordat:Database:MigrateOnStart", "true");
        builder.UseSetting("Concordat:Documents:BlobRoot", BlobRoot);
        builder.UseSetting("Concordat:Search:IndexFolder", Path.Combine(Root, "search"));
        // Generated PDFs all have a text layer; OCR would never run. Off on both sides for certainty.
        builder.UseSetting("Concordat:Documents:OcrEnabled", "false");
        builder.UseSetting("Concordat:Admin:Email", AdminEmail);
        builder.UseSetting("Concordat:Admin:Password", AdminPassword);
        builder.UseSetting("Concordat:DemoData", "false");
        // Clients reach the app as localhost (the test server) or 127.0.0.1 (Kestrel); links name the first.
        builder.UseSetting("Concordat:PublicUrl", "http://localhost");
        builder.UseSetting("AllowedHosts", "localhost;127.0.0.1");
        builder.UseSetting("Concordat:RateLimit:PasswordAttemptsPerMinute", "1000");
        builder.UseSetting("Concordat:RateLimit:PasswordAttemptsPerAddressPerMinute", "1000");
        // One "Stored ..." line per upload would bury the benchmark's output; warnings and errors still show.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");

        // The app persists data-protection keys; keep them in this app's temporary folder, and its warning that they are
        // not encrypted at rest out of the output.
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");

        if (!_searchIndexer)
            builder.ConfigureTestServices(services =>
            {
                var indexer = services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "SearchIndexer").ToList();
                if (indexer.Count == 0) throw new InvalidOperationException("The app no longer registers a SearchIndexer hosted service; update BenchApp.");
                foreach (var d in indexer) services.Remove(d);
            });

        if (_interceptors.Length > 0)
            builder.ConfigureTestServices(services => services.ConfigureDbContext<ConcordatDb>(o => o.AddInterceptors(_interceptors)));

        if (_sqliteSynchronous is { } synchronous)
            builder.ConfigureTestServices(services =>
                services.ConfigureDbContext<ConcordatDb>(o => o.AddInterceptors(new SqlitePragmaInterceptor($"PRAGMA synchronous={synchronous};"))));

        if (_clock is { } clock)
        {
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<IBlobStore>();
                services.AddSingleton<IBlobStore>(sp =>
                    new TimingBlobStore(new FileSystemBlobStore(sp.GetRequiredService<IOptions<DocumentOptions>>()), clock));
                services.ConfigureDbContext<ConcordatDb>(o => o.AddInterceptors(
                    new TimingCommandInterceptor(clock), new TimingSaveChangesInterceptor(clock), new TimingTransactionInterceptor(clock)));
                services.AddSingleton<IStartupFilter>(new ServerTimingStartupFilter(clock));
            });
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Release();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Release();
    }

    void Release()
    {
        SqliteConnection.ClearAllPools();
        if (OnPostgres)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            OnServer($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)");
        }
        Corpus.TryDelete(Root);
    }

    /// <summary>A client carrying a fresh personal API token of the administrator (concordat token create).</summary>
    public Task<HttpClient> AdminApiAsync() => ApiAsync(AdminEmail, "ingest benchmark");

    /// <summary>A client carrying a fresh personal API token of the person with this email (concordat token create).</summary>
    public async Task<HttpClient> ApiAsync(string email, string tokenName)
    {
        StartServer();
        // Under Kestrel the client must go to the port the server actually bound; TestServer answers any address.
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var client = CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = address is null ? ClientOptions.BaseAddress : new Uri(address),
            AllowAutoRedirect = false,
            HandleCookies = false,
        });
        client.Timeout = TimeSpan.FromMinutes(5);
        // Administrators need two-step sign-in to get a token with a password; automation uses the command-line verb instead.
        var output = new StringWriter();
        var errors = new StringWriter();
        if (await Concordat.Cli.CommandLine.RunAsync(Services, ["token", "create", "--email", email, "--name", tokenName], output, errors) != 0)
            throw new InvalidOperationException("Could not create a token: " + errors);
        var token = output.ToString().Trim();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Draft agreements made through POST /api/v1/agreements (title and lead are all a draft needs).</summary>
    public static async Task<int[]> CreateAgreementsAsync(HttpClient api, int count)
    {
        var organisations = await api.GetFromJsonAsync<JsonObject>("/api/v1/organisations");
        var leadId = organisations!["items"]!.AsArray()[0]!["id"]!.GetValue<int>();
        var ids = new int[count];
        for (var i = 0; i < count; i++)
        {
            var response = await api.PostAsJsonAsync("/api/v1/agreements", new { title = $"Ingest benchmark agreement {i + 1}", leadOrganisationId = leadId });
            await EnsureAsync(response, HttpStatusCode.Created, "create an agreement");
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>();
        }
        return ids;
    }

    Concordat.Organisations.Viewer? _admin;

    /// <summary>
    /// Draft agreements made through <see cref="AgreementCommands"/> in-process; also signs the administrator in
    /// (the principal the app's claims factory makes), for the agreement look-ups of the in-process uploads.
    /// </summary>
    public async Task<int[]> CreateAgreementsInProcessAsync(int count)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var admin = await users.FindByEmailAsync(AdminEmail) ?? throw new InvalidOperationException("The administrator was not created.");
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<IdentityUser>>().CreateAsync(admin);
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        _admin = await Concordat.Organisations.Viewer.LoadAsync(principal, db, CancellationToken.None);
        var commands = scope.ServiceProvider.GetRequiredService<AgreementCommands>();
        var leadId = await db.Organisations.OrderBy(o => o.Name).Select(o => o.Id).FirstAsync();
        var ids = new int[count];
        for (var i = 0; i < count; i++)
        {
            var (agreement, errors) = await commands.CreateAsync(
                new AgreementInput { Title = $"Ingest benchmark agreement {i + 1}", LeadOrganisationId = leadId }, _admin, CancellationToken.None);
            ids[i] = agreement?.Id ?? throw new InvalidOperationException("Could not create an agreement: " + string.Join("; ", errors.SelectMany(e => e.Value)));
        }
        return ids;
    }

    /// <summary>The real upload request: multipart with 'kind' and 'file', the file streamed from disk.</summary>
    public static async Task UploadAsync(HttpClient api, int agreementId, BenchFile file)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("agreement"), "kind");
        var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var content = new StreamContent(stream, 81920);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", file.Name);
        using var response = await api.PostAsync($"/api/v1/agreements/{agreementId}/documents", form);
        await EnsureAsync(response, HttpStatusCode.Created, $"upload {file.Name}");
        await response.Content.LoadIntoBufferAsync();
    }

    /// <summary>
    /// The in-process path: a scope per upload (as a request has), the agreement loaded as the upload endpoint loads it
    /// (<see cref="RegisterQuery.FindForUploadAsync"/>), then FileUploader.
    /// </summary>
    public async Task UploadInProcessAsync(int agreementId, BenchFile file, StageClock? clock = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var uploader = scope.ServiceProvider.GetRequiredService<FileUploader>();
        var user = _admin ?? throw new InvalidOperationException("Create the agreements in-process first.");
        var agreement = await RegisterQuery.FindForUploadAsync(db, user, agreementId, CancellationToken.None)
                        ?? throw new InvalidOperationException($"Agreement {agreementId} not found.");
        await using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        clock?.BeginUpload();
        var (_, failure) = await uploader.UploadAsync(agreement, null, FileKind.Agreement, stream, file.Name, AdminEmail, CancellationToken.None);
        clock?.EndUpload();
        if (failure is not null) throw new InvalidOperationException($"Upload of {file.Name} refused: {failure.Status} {failure.Title}: {failure.Detail}");
    }

    /// <summary>Checks every upload made its own version, text row and blob (no dedup flattered the figures).</summary>
    public async Task VerifyAsync(int expectedVersions)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var versions = await db.FileVersions.CountAsync();
        var texts = await db.FileTexts.CountAsync();
        var withoutText = await db.FileVersions.CountAsync(v => !v.HasText);
        var blobs = Directory.GetFiles(BlobRoot, "*", SearchOption.AllDirectories)
            .Count(f => !Path.GetRelativePath(BlobRoot, f).StartsWith("tmp" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        if (versions != expectedVersions || texts != expectedVersions || blobs != expectedVersions || withoutText != 0)
            throw new InvalidOperationException(
                $"Expected {expectedVersions} versions, texts and blobs; found {versions} versions, {texts} texts, {blobs} blobs, {withoutText} without text.");
    }

    /// <summary>PRAGMA synchronous and journal_mode as the app's connections see them (on PostgreSQL: said to be not applicable).</summary>
    public async Task<(string Synchronous, string JournalMode)> SqliteSettingsAsync()
    {
        if (OnPostgres) return ("n/a (PostgreSQL)", "n/a (PostgreSQL)");
        await using var scope = Services.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<ConcordatDb>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous;";
        var synchronous = Convert.ToInt64(await command.ExecuteScalarAsync()) switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", var n => n.ToString() };
        command.CommandText = "PRAGMA journal_mode;";
        var journal = (string?)await command.ExecuteScalarAsync() ?? "?";
        return (synchronous, journal);
    }

    static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode == expected) return;
        var body = await response.Content.ReadAsStringAsync();
        throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {response.StatusCode}: {body}");
    }
}
