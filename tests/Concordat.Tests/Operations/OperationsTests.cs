using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Import;
using Concordat.Organisations;
using Concordat.Tests.Audit;
using Concordat.Tests.Import;
using Concordat.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concordat.Tests.Operations;

/// <summary>What the people who run Concordat rely on: health probes, migrating as a step of its own, several nodes on one database.</summary>
public sealed class OperationsTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Fact]
    public async Task Health_probes_answer_live_and_ready_naming_each_check()
    {
        using var client = app.CreateClient();
        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("no-store", live.Headers.CacheControl!.ToString());
        Assert.Equal("Healthy", (await live.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());

        var ready = await client.GetFromJsonAsync<JsonObject>("/health/ready");
        Assert.Equal("Healthy", ready!["status"]!.GetValue<string>());
        var checks = ready["checks"]!.AsObject();
        Assert.Equal(["blob-store", "database", "search-index"], checks.Select(c => c.Key).Order());
        Assert.All(checks, c => Assert.Equal("Healthy", c.Value!["status"]!.GetValue<string>()));
        Assert.Matches(@"^The index is \d+ outbox entries behind the database\.$", checks["search-index"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Outside_development_the_app_will_not_start_on_an_unmigrated_database_until_concordat_migrate_has_run()
    {
        var folder = Directory.CreateDirectory(Path.Combine(app.Root, "production")).FullName;
        using var empty = TestDatabase.CreateEmpty(folder);
        var environment = new Dictionary<string, string>(empty.EnvironmentVariables)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Concordat__PublicUrl"] = "https://concordat.example.gov.uk",
            ["Concordat__Documents__BlobRoot"] = Path.Combine(folder, "blobs"),
            ["Concordat__Search__IndexFolder"] = Path.Combine(folder, "search"),
            ["Concordat__Mail__PickupFolder"] = Path.Combine(folder, "mail"),
        };

        var refused = await ShippedApp.RunAsync(environment, "audit", "verify");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("Run `concordat migrate` once, then start the app.", refused.Errors);

        var migrated = await ShippedApp.RunAsync(environment, "migrate");
        Assert.True(migrated.Exit == 0, migrated.Errors);
        Assert.Matches(@"Applied \d+ migration\(s\): the database is up to date\.", migrated.Output);
        Assert.Equal("The database is up to date: no migration to apply.", (await ShippedApp.RunAsync(environment, "migrate")).Output.Trim());

        var verified = await ShippedApp.RunAsync(environment, "audit", "verify");
        Assert.True(verified.Exit == 0, verified.Errors);
        Assert.Contains("The audit trail is intact", verified.Output);
    }
}

/// <summary>Metrics for Prometheus: off unless asked for, and then the requests and Concordat's own measurements.</summary>
public sealed class MetricsTests(MetricsTests.MetricsApp app) : IClassFixture<MetricsTests.MetricsApp>
{
    public sealed class MetricsApp : ConcordatFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Concordat:Metrics:Enabled"] = "true" };
    }

    [Fact]
    public async Task With_metrics_on_prometheus_reads_request_durations_the_search_lag_and_the_runtime()
    {
        using var api = await app.AdminApiAsync();
        var id = (await app.CreateAgreementAsync(api, await app.CompleteRecordAsync("Measured agreement")))["id"]!.GetValue<int>();
        Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(api, id, Fixtures.Pdf("potoroo"), "potoroo.pdf")).StatusCode);
        Assert.Equal(1, (await api.GetFromJsonAsync<JsonObject>("/api/v1/search?q=potoroo"))!["total"]!.GetValue<int>());

        using var scraper = app.CreateClient();
        var text = await scraper.GetStringAsync("/metrics");
        Assert.Contains("http_server_request_duration_seconds_bucket", text);
        Assert.Matches(@"concordat_search_outbox_lag_seconds_count\{[^}]*\} [1-9]", text);
        // Memory per node, from the runtime's own meter: the working set and the managed heap.
        Assert.Matches(@"dotnet_process_memory_working_set_bytes(\{[^}]*\})? [1-9]", text);
        Assert.Contains("dotnet_gc_heap_total_allocated_bytes", text);
    }

    [Fact]
    public async Task Without_the_setting_there_is_no_metrics_endpoint()
    {
        using var plain = new ConcordatFactory();
        using var client = plain.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }
}

/// <summary>Two app instances on one database and blob store, as behind a load balancer, each with its own search index.</summary>
public sealed class TwoNodeTests : IClassFixture<ConcordatFactory>, IDisposable
{
    readonly ConcordatFactory _a;
    readonly ConcordatFactory _b;

    public TwoNodeTests(ConcordatFactory a)
    {
        _a = a;
        _a.Logs.MinimumLevel = LogLevel.Information;
        _b = a.AnotherNode();
        _b.Logs.MinimumLevel = LogLevel.Information;
    }

    public void Dispose() => _b.Dispose();

    [Fact]
    public async Task An_upload_on_one_node_is_found_by_search_on_the_other()
    {
        using var onA = await _a.AdminApiAsync();
        using var onB = await _b.AdminApiAsync(); // a token made on B works on A too: tokens live in the database
        var id = (await _a.CreateAgreementAsync(onA, await _a.CompleteRecordAsync("Two node agreement")))["id"]!.GetValue<int>();
        Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(onA, id, Fixtures.Pdf("bilby"), "bilby.pdf")).StatusCode);

        // B's index catches up by itself; a search that arrives first waits for it, briefly.
        var watch = Stopwatch.StartNew();
        JsonObject? found = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            found = await onB.GetFromJsonAsync<JsonObject>("/api/v1/search?q=bilby");
            if (found!["total"]!.GetValue<int>() > 0) break;
        }
        Assert.Equal(["Two node agreement"], found!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"B found the upload after {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_page_served_by_one_node_can_be_posted_to_the_other()
    {
        // Anti-forgery tokens and sign-in cookies are protected with keys both nodes read from the database.
        using var onA = _a.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var page = await onA.GetAsync("/sign-in");
        var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = page.ParseBody().QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var onB = _b.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var post = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent([new("Email", ConcordatFactory.AdminEmail), new("Password", ConcordatFactory.AdminPassword), new("__RequestVerificationToken", token)]),
        };
        post.Headers.Add("Cookie", cookies);
        var signedIn = await onB.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode); // to the second step: the token made on A was good on B
        Assert.StartsWith("/sign-in/two-step", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_import_checked_on_one_node_is_run_by_the_other_from_the_blob_store()
    {
        const string editor = "two-node-importer@lfb.example";
        await _a.AddPersonAsync(editor, "London Fire Brigade", OrganisationRole.Editor);
        using var onA = await _a.SignInAsync(editor);
        using var onB = await _b.SignInAsync(editor);
        var check = await ImportPageTests.UploadAsync(onA, ImportFolder.Zip("Checked on A", 3, inFolder: "register"));
        Assert.Equal("3", ImportPageTests.Summary(check, "To add"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_a.ImportScratchFolder)); // A kept nothing of it on its own disk

        // "Import" pressed on B: B's own form token, the staged import A checked.
        var token = (await onB.GetPageAsync("/import")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var run = (IHtmlFormElement)check.QuerySelector("form[action*='Run']")!;
        var fields = run.QuerySelectorAll("input[type=hidden]").Cast<IHtmlInputElement>()
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Name == "__RequestVerificationToken" ? token : i.Value));
        var started = await onB.PostAsync(run.GetAttribute("action"), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var job = Guid.Parse(started.Headers.Location!.OriginalString.Split('/').Last());
        for (var waited = Stopwatch.StartNew(); await _a.InDatabaseAsync(db => db.ImportJobs.AnyAsync(j => j.Id == job && (j.State == ImportJobState.Queued || j.State == ImportJobState.Running)))
             && waited.Elapsed < TimeSpan.FromSeconds(60);) await Task.Delay(100);

        Assert.Equal(ImportJobState.Finished, await _a.InDatabaseAsync(db => db.ImportJobs.Where(j => j.Id == job).Select(j => j.State).SingleAsync()));
        Assert.Equal(3, await _a.InDatabaseAsync(db => db.Agreements.CountAsync(x => x.Title.StartsWith("Checked on A"))));
        Assert.Equal(0, await _a.InDatabaseAsync(db => db.StagedImports.CountAsync()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_a.ImportScratchFolder));
        Assert.Empty(Directory.Exists(_b.ImportScratchFolder) ? Directory.EnumerateFileSystemEntries(_b.ImportScratchFolder) : []);
    }

    [Fact]
    public async Task A_scheduled_job_runs_once_across_the_nodes_and_writes_from_both_keep_one_audit_chain()
    {
        using var onA = await _a.AdminApiAsync();
        using var onB = await _b.AdminApiAsync();
        // Both nodes have started, and each sweeper asks for the lease as it starts: wait for the first sweep, then a while longer.
        int Sweeps() => _a.Logs.Entries.Concat(_b.Logs.Entries).Count(e => e.Message.StartsWith("Blob sweep started on node"));
        for (var waited = Stopwatch.StartNew(); Sweeps() == 0 && waited.Elapsed < TimeSpan.FromSeconds(20);) await Task.Delay(100);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, Sweeps());
        Assert.Equal(1, await _a.InDatabaseAsync(db => db.Set<Lease>().CountAsync(l => l.Name == "blob-sweep")));

        var writes = Enumerable.Range(1, 6).Select(async i =>
        {
            var (node, client) = i % 2 == 0 ? (_a, onA) : (_b, onB);
            return await client.PostAsJsonAsync("/api/v1/agreements", await node.CompleteRecordAsync($"Written on both nodes {i}"));
        });
        Assert.All(await Task.WhenAll(writes), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var (exit, output, errors) = await new AuditProbe(_b).VerifyAsync();
        Assert.True(exit == 0, output + errors);
    }
}

/// <summary>An import whose node stops part-way through is finished by another node, each row once.</summary>
public sealed class ResumedImportTests : IDisposable
{
    /// <summary>Owns the database the nodes share; its own app is never started.</summary>
    readonly ConcordatFactory _database = new();
    static readonly Dictionary<string, string?> Quick = new() { ["Concordat:Import:ClaimSeconds"] = "2", ["Concordat:Import:PollSeconds"] = "1" };

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task An_import_whose_node_stops_part_way_is_finished_by_another_node()
    {
        const int rows = 600; // enough that the first progress write (after a second) comes well before the end
        var a = _database.AnotherNode(Quick);
        Guid job;
        await using (var scope = a.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
            var viewer = await Concordat.Accounts.PersonViewer.LoadAsync(scope.ServiceProvider, (await users.FindByEmailAsync(ConcordatFactory.AdminEmail))!, CancellationToken.None);
            var (staged, problem) = await scope.ServiceProvider.GetRequiredService<Concordat.Import.ImportStaging>()
                .StageAsync(new MemoryStream(ImportFolder.Zip("Resumed import", rows)), 1L << 30, viewer.Actor, _ => Task.FromResult(true), CancellationToken.None);
            Assert.Null(problem);
            job = (await a.Services.GetRequiredService<Concordat.Import.ImportJobs>().StartAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(),
                staged!, viewer, asDraft: false, addOrganisations: false, CancellationToken.None))!.Value;
        }
        Task<Concordat.Import.ImportJob> JobAsync() => _database.InDatabaseAsync(db => db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == job));
        for (var waited = Stopwatch.StartNew(); (await JobAsync()).Done == 0 && waited.Elapsed < TimeSpan.FromSeconds(60);) await Task.Delay(50);
        a.Dispose(); // the node stops mid-import: its job is left running, under a lease that runs out
        var left = await JobAsync();
        Assert.Equal(Concordat.Import.ImportJobState.Running, left.State);
        Assert.InRange(await ImportedAsync(), 1, rows - 1);

        using var b = _database.AnotherNode(Quick);
        b.Logs.MinimumLevel = LogLevel.Warning;
        using var started = b.CreateClient();
        for (var waited = Stopwatch.StartNew(); (await JobAsync()).IsRunning && waited.Elapsed < TimeSpan.FromSeconds(240);) await Task.Delay(200);

        Assert.Equal(Concordat.Import.ImportJobState.Finished, (await JobAsync()).State);
        Assert.Equal(rows, await ImportedAsync());
        Assert.Equal(rows, await _database.InDatabaseAsync(db => db.Agreements.Where(x => x.Title.StartsWith("Resumed import")).Select(x => x.Title).Distinct().CountAsync()));
        // B, or the database owner's own app (started by the test's queries; a node like any other), took the job over.
        Assert.Contains(b.Logs.Entries.Concat(_database.Logs.Entries), e => e.Message.Contains("stopped on another node") && e.Message.Contains(job.ToString()));
        Assert.Equal(0, await _database.InDatabaseAsync(db => db.Set<Lease>().CountAsync(l => l.Name.StartsWith("import-job:"))));
        Assert.Equal(0, await _database.InDatabaseAsync(db => db.StagedImports.CountAsync()));
        var (exit, output, errors) = await new AuditProbe(b).VerifyAsync();
        Assert.True(exit == 0, output + errors);
    }

    Task<int> ImportedAsync() => _database.InDatabaseAsync(db => db.Agreements.CountAsync(x => x.Title.StartsWith("Resumed import")));
}
