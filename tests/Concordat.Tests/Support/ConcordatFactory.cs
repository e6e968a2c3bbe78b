using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Concordat.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concordat.Tests.Support;

/// <summary>
/// The real app over a real SQLite file and blob folder in a fresh temporary directory, one per test
/// class. Intent methods speak to it as a client would.
/// </summary>
public partial class ConcordatFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.example";
    public const string AdminPassword = "a long test password";
    /// <summary>The app's public address: the test clients' own (http://localhost), so only requests for it are served.</summary>
    public const string PublicUrl = "http://localhost";

    public string Root { get; } = Directory.CreateTempSubdirectory("concordat-test-").FullName;
    public string BlobRoot => _sharing?.BlobRoot ?? Path.Combine(Root, "blobs");
    TestDatabase? _database;
    /// <summary>This fixture's database (SQLite or PostgreSQL, as the run asks), a copy of the schema migrated once.</summary>
    public TestDatabase Database => _sharing?.Database ?? (_database ??= TestDatabase.Create(Root));

    /// <summary>The node whose database and blob store this one shares, for tests of several nodes.</summary>
    readonly ConcordatFactory? _sharing;

    public ConcordatFactory() { }

    readonly IDictionary<string, string?>? _nodeSettings;

    ConcordatFactory(ConcordatFactory sharing, IDictionary<string, string?>? settings) => (_sharing, _nodeSettings) = (sharing, settings);

    /// <summary>Another node: the same database and blob store as this one, with its own search index, import scratch folder and logs.</summary>
    public ConcordatFactory AnotherNode(IDictionary<string, string?>? settings = null) => new(this, settings);
    /// <summary>Where mail lands as .eml files when no SMTP server is configured.</summary>
    public string MailFolder => Path.Combine(Root, "mail");
    public string SearchFolder => Path.Combine(Root, "search");
    /// <summary>This node's own folder where imports are unpacked while they are checked or run.</summary>
    public string ImportScratchFolder => Path.Combine(Root, "imports-staging");

    /// <summary>What the app logged at warning and above.</summary>
    public LogCollector Logs { get; } = new();

    /// <summary>Settings a test class may change before the app starts.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Database.Settings) builder.UseSetting(key, value);
        builder.UseSetting("Concordat:Documents:BlobRoot", BlobRoot);
        builder.UseSetting("Concordat:Admin:Email", AdminEmail);
        builder.UseSetting("Concordat:Admin:Password", AdminPassword);
        builder.UseSetting("Concordat:DemoData", "false");
        builder.UseSetting("Concordat:PublicUrl", PublicUrl);
        builder.UseSetting("Concordat:RateLimit:PasswordAttemptsPerMinute", "1000");
        builder.UseSetting("Concordat:RateLimit:PasswordAttemptsPerAddressPerMinute", "1000");
        builder.UseSetting("Concordat:Mail:PickupFolder", MailFolder);
        builder.UseSetting("Concordat:Search:IndexFolder", SearchFolder);
        // Each node its own scratch folder for imports, as in production: a staged import reaches a node through the blob store.
        builder.UseSetting("Concordat:Import:StagingFolder", ImportScratchFolder);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        foreach (var (key, value) in _nodeSettings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _database?.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    string? _adminToken;

    /// <summary>A client carrying a personal API token of the administrator.</summary>
    public async Task<HttpClient> AdminApiAsync()
    {
        _adminToken ??= await CreateTokenAsync(AdminEmail, AdminPassword);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        return client;
    }

    public async Task<string> CreateTokenAsync(string email, string password)
    {
        using var client = CreateClient();
        var totp = email == AdminEmail ? AdminCode() : null;
        var response = await client.PostAsJsonAsync("/api/v1/tokens", new { email, password, totp });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    public async Task<int> OrganisationIdAsync(string name)
    {
        using var client = CreateClient();
        var list = await client.GetFromJsonAsync<JsonObject>("/api/v1/organisations");
        return list!["items"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<int>();
    }

    /// <summary>A record with every field publication needs, for the lead and one partner.</summary>
    public async Task<object> CompleteRecordAsync(string title, string lead = "London Fire Brigade", string partner = "London Borough of Camden")
    {
        var leadId = await OrganisationIdAsync(lead);
        var partnerId = await OrganisationIdAsync(partner);
        return new
        {
            title,
            agreementType = "information-sharing",
            purpose = "Partners share details of residents at high risk of fire so that they are offered a home fire safety visit.",
            leadOrganisationId = leadId,
            parties = new[] { new { organisationId = leadId, role = "joint-controller" }, new { organisationId = partnerId, role = "joint-controller" } },
            dataFlows = new[]
            {
                new { fromOrganisationId = partnerId, toOrganisationId = leadId, dataItems = "Name and address", frequency = "weekly" },
                new { fromOrganisationId = leadId, toOrganisationId = partnerId, dataItems = "Visit outcome", frequency = "monthly" },
            },
            dataSubjects = new[] { "residents" },
            sensitivity = new[] { "personal" },
            lawfulBasis = new[] { "public-task" },
            startDate = "2025-04-01",
            reviewDate = "2027-04-01",
            visibility = "public",
            contactEmail = "ig@lfb.example.gov.uk",
        };
    }

    public async Task<JsonObject> CreateAgreementAsync(HttpClient api, object record)
    {
        var response = await api.PostAsJsonAsync("/api/v1/agreements", record);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A query against the app's own database, in a scope of its own.</summary>
    public async Task<T> InDatabaseAsync<T>(Func<Concordat.Data.ConcordatDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<Concordat.Data.ConcordatDb>());
    }

    /// <summary>The newest search outbox entry in the database: what every node's index must reach.</summary>
    public async Task<long> LastOutboxEntryAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Concordat.Data.ConcordatDb>();
        return await db.SearchOutbox.MaxAsync(e => (long?)e.Id) ?? 0;
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient api, int agreementId, byte[] content, string fileName, string kind = "agreement", string? path = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(kind), "kind");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await api.PostAsync(path ?? $"/api/v1/agreements/{agreementId}/documents", form);
    }

    /// <summary>Blob files currently in the store (excluding the staging folder).</summary>
    public string[] StoredBlobs() => Directory.Exists(BlobRoot)
        ? Directory.GetFiles(BlobRoot, "*", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(BlobRoot, f).StartsWith("tmp")).ToArray()
        : [];
}

public partial class ConcordatFactory
{
    /// <summary>
    /// Holds the database's write lock (as a long save on another node would) until disposed: requests sent meanwhile
    /// read what they need and then wait at their save, so releasing it lets them all write at once.
    /// </summary>
    public async Task<IAsyncDisposable> HoldWritesAsync()
    {
        var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Concordat.Data.ConcordatDb>();
        var transaction = await Concordat.Data.SerializedWrites.BeginAsync(db, CancellationToken.None);
        return new Held(async () =>
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await scope.DisposeAsync();
        });
    }

    sealed class Held(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }
}
