using System.Net;
using Concordat.Agreements;
using Concordat.Cli;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Tests.Operations;

/// <summary>Getting back: a backup restored into an empty install is the same register, its audit chain and search intact.</summary>
public sealed class BackupTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    static async Task<(int Exit, string Output, string Errors)> RunAsync(ConcordatFactory app, params string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var exit = await CommandLine.RunAsync(app.Services, args, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task A_backup_restored_into_an_empty_install_passes_audit_and_search_verify_and_a_second_run_carries_on()
    {
        using var api = await app.AdminApiAsync();
        var ids = new List<int>();
        for (var i = 1; i <= 3; i++)
        {
            var id = (await app.CreateAgreementAsync(api, await app.CompleteRecordAsync($"Backed up agreement {i}")))["id"]!.GetValue<int>();
            Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(api, id, Fixtures.Pdf($"quokka{i}"), $"quokka-{i}.pdf")).StatusCode);
            ids.Add(id);
        }
        // An agreement may name a later one as the one it supersedes: the copy must not trip over the order of ids.
        await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Id == ids[0]).ExecuteUpdateAsync(s => s.SetProperty(a => a.SupersedesId, ids[2])));
        var folder = Path.Combine(app.Root, "backup");
        var backup = await RunAsync(app, "backup", "--to", folder);
        Assert.True(backup.Exit == 0, backup.Output + backup.Errors);
        Assert.Matches(@"Tables: (\d+) compared, \d+ rows; \1 the same on both sides\.", backup.Output);
        Assert.Contains("Files: 3 copied", backup.Output);

        // An empty install elsewhere: its own database (migrated, never started), files and index.
        var elsewhere = Directory.CreateDirectory(Path.Combine(app.Root, "elsewhere")).FullName;
        using var empty = TestDatabase.Create(elsewhere);
        var environment = new Dictionary<string, string>(ShippedApp.BesideApp(app))
        {
            ["Concordat__Documents__BlobRoot"] = Path.Combine(elsewhere, "blobs"),
            ["Concordat__Search__IndexFolder"] = Path.Combine(elsewhere, "search"),
        };
        foreach (var (key, value) in empty.EnvironmentVariables) environment[key] = value;

        var restored = await ShippedApp.RunAsync(environment, "restore", "--from", folder);
        Assert.True(restored.Exit == 0, restored.Output + restored.Errors);
        Assert.Contains("Files: 3 copied", restored.Output);
        foreach (var verify in new[] { new[] { "audit", "verify" }, ["search", "verify"] })
        {
            var (exit, output, errors) = await ShippedApp.RunAsync(environment, verify);
            Assert.True(exit == 0, output + errors);
        }
        var blobs = Path.Combine(elsewhere, "blobs");
        Assert.Equal(3, Directory.GetFiles(blobs, "*", SearchOption.AllDirectories).Count(f => !Path.GetRelativePath(blobs, f).StartsWith("tmp")));

        // Run again (as after an interruption): nothing is copied twice and the two sides still compare the same.
        var again = await ShippedApp.RunAsync(environment, "restore", "--from", folder);
        Assert.True(again.Exit == 0, again.Output + again.Errors);
        Assert.Contains("Agreement: ", again.Output);
        Assert.Contains("rows already there", again.Output);
        Assert.DoesNotContain("rows copied", again.Output);
        Assert.Contains("Files: 0 copied, 3 already in the store", again.Output);
    }

    [Fact]
    public async Task Restoring_into_a_register_in_use_is_refused_and_changes_nothing()
    {
        using var api = await app.AdminApiAsync();
        var folder = Path.Combine(app.Root, "backup-refused");
        Assert.Equal(0, (await RunAsync(app, "backup", "--to", folder)).Exit);
        await app.CreateAgreementAsync(api, await app.CompleteRecordAsync("Made after the backup"));
        var before = await app.InDatabaseAsync(db => db.Agreements.CountAsync());

        var (exit, _, errors) = await RunAsync(app, "restore", "--from", folder);

        Assert.Equal(1, exit);
        Assert.Matches(@"The target's \w+ already holds \d+ rows \(the source has \d+\)\. Copy into an empty database, migrated and never started\.", errors);
        Assert.Equal(before, await app.InDatabaseAsync(db => db.Agreements.CountAsync()));
        Assert.Equal(2, (await RunAsync(app, "restore", "--from", Path.Combine(app.Root, "no-such-backup"))).Exit);
    }
}

/// <summary>Moving in: an embedded install's SQLite database copied into PostgreSQL, resumable, its audit chain intact.</summary>
public sealed class MoveDataTests(S3Server s3) : IClassFixture<S3Server>, IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("concordat-move-").FullName;
    readonly string _target = $"concordat_m_{Guid.NewGuid():N}";

    public void Dispose()
    {
        TestDatabase.OnPostgres("postgres", $"DROP DATABASE IF EXISTS {_target} WITH (FORCE)");
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    static string Connection(string database) => TestDatabase.Postgres(database);

    static long Postgres(string database, string sql) => Convert.ToInt64(TestDatabase.OnPostgres(database, sql) ?? 0L);

    Dictionary<string, string> Install(string provider, string connection) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Testing",
        ["Concordat__Database__Provider"] = provider,
        ["ConnectionStrings__Concordat"] = connection,
        ["Concordat__PublicUrl"] = ConcordatFactory.PublicUrl,
        ["Concordat__Documents__BlobRoot"] = Path.Combine(_root, "blobs"),
        ["Concordat__Search__IndexFolder"] = Path.Combine(_root, $"search-{provider}"),
        ["Concordat__Mail__PickupFolder"] = Path.Combine(_root, "mail"),
        ["Concordat__DemoData"] = "false",
        ["Concordat__Admin__Email"] = ConcordatFactory.AdminEmail,
        ["Concordat__Admin__Password"] = ConcordatFactory.AdminPassword,
    };

    [Fact]
    public async Task With_files_to_s3_the_stored_files_go_into_the_new_install_bucket_and_a_second_run_copies_none()
    {
        var embedded = Install("sqlite", $"Data Source={Path.Combine(_root, "concordat.db")}");
        var imported = await ShippedApp.RunAsync(embedded, "import", "--manifest", ImportFolder.Write(Path.Combine(_root, "to-import"), "Bucketed", 3));
        Assert.True(imported.Exit == 0, imported.Output + imported.Errors);
        // The new install's bucket, named to this command; this install's own files stay where they are.
        foreach (var (key, value) in s3.Settings(Path.Combine(_root, "s3-staging")).Where(s => s.Key != "Concordat:Storage:Provider"))
            embedded[key.Replace(":", "__")] = value!;
        Postgres("postgres", $"CREATE DATABASE {_target}");

        var moved = await ShippedApp.RunAsync(embedded, "move-data", "--to-postgres", Connection(_target), "--files-to-s3");
        Assert.True(moved.Exit == 0, moved.Output + moved.Errors);
        Assert.Contains("Files: 3 copied, 0 already in the bucket.", moved.Output);
        using var client = s3.Client();
        var hashes = Directory.GetFiles(Path.Combine(_root, "blobs"), "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(Path.Combine(_root, "blobs"), f).StartsWith("tmp")).Select(Path.GetFileName).ToList();
        var listed = (await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = "blobs/" })).S3Objects ?? [];
        Assert.All(hashes, h => Assert.Contains(listed, o => o.Key.EndsWith(h!)));

        var again = await ShippedApp.RunAsync(embedded, "move-data", "--to-postgres", Connection(_target), "--files-to-s3");
        Assert.True(again.Exit == 0, again.Output + again.Errors);
        Assert.Contains("Files: 0 copied, 3 already in the bucket.", again.Output);

        embedded.Remove("Concordat__Storage__S3__Bucket");
        var noBucket = await ShippedApp.RunAsync(embedded, "move-data", "--to-postgres", Connection(_target), "--files-to-s3");
        Assert.Equal(2, noBucket.Exit);
        Assert.Contains("--files-to-s3 needs the new install's bucket", noBucket.Errors);
    }

    [Fact]
    public async Task An_embedded_install_moves_to_postgres_with_its_audit_chain_intact_and_an_interrupted_move_carries_on()
    {
        // The embedded install, made and filled by the shipped app as an operator would: an import of a few agreements.
        var embedded = Install("sqlite", $"Data Source={Path.Combine(_root, "concordat.db")}");
        var manifest = ImportFolder.Write(Path.Combine(_root, "to-import"), "Moved", 4);
        var imported = await ShippedApp.RunAsync(embedded, "import", "--manifest", manifest);
        Assert.True(imported.Exit == 0, imported.Output + imported.Errors);

        Postgres("postgres", $"CREATE DATABASE {_target}");
        var moved = await ShippedApp.RunAsync(embedded, "move-data", "--to-postgres", Connection(_target));
        Assert.True(moved.Exit == 0, moved.Output + moved.Errors);
        Assert.Matches(@"Tables: (\d+) compared, \d+ rows; \1 the same on both sides\.", moved.Output);
        Assert.Equal(4, Postgres(_target, """SELECT COUNT(*) FROM "Agreement" WHERE "Title" LIKE 'Moved %'"""));

        // Interrupted before its last table: running it again copies only what is missing.
        Postgres(_target, """DELETE FROM "FileVersion" """);
        var resumed = await ShippedApp.RunAsync(embedded, "move-data", "--to-postgres", Connection(_target));
        Assert.True(resumed.Exit == 0, resumed.Output + resumed.Errors);
        Assert.Contains("FileVersion: 4 rows copied", resumed.Output);
        Assert.Contains("Agreement: ", resumed.Output);
        Assert.Matches(@"Agreement: \d+ rows already there", resumed.Output);

        // The moved install runs: its chain verifies, its index is built from the moved outbox, and new records follow on.
        var onPostgres = Install("postgres", Connection(_target));
        foreach (var verb in new[] { new[] { "audit", "verify" }, ["reindex"], ["search", "verify"],
                     ["token", "create", "--email", ConcordatFactory.AdminEmail], ["audit", "verify"] })
        {
            var (exit, output, errors) = await ShippedApp.RunAsync(onPostgres, verb);
            Assert.True(exit == 0, $"{string.Join(' ', verb)}: {output}{errors}");
        }
    }
}
