using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Import;
using AngleSharp.Html.Dom;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Import;

/// <summary>The import page: upload a ZIP, read the check of every row, import, and import again without duplicates.</summary>
public sealed class ImportPageTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    const string Editor = "importer@lfb.example";

    static byte[] Zip(params (string Path, string Text)[] entries)
    {
        var bytes = new MemoryStream();
        using (var zip = new ZipArchive(bytes, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (path, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open());
                writer.Write(text);
            }
        return bytes.ToArray();
    }

    async Task<HttpClient> EditorAsync()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            if (!await db.Users.AnyAsync(u => u.Email == Editor)) await app.AddPersonAsync(Editor, "London Fire Brigade", OrganisationRole.Editor);
        }
        return await app.SignInAsync(Editor);
    }

    /// <summary>Posts the upload form of /import with a file, as a browser would.</summary>
    internal static async Task<IHtmlDocument> UploadAsync(HttpClient client, byte[] zip, string fileName = "agreements.zip")
    {
        var page = await client.GetPageAsync("/import");
        var form = (IHtmlFormElement)page.QuerySelector("form[enctype='multipart/form-data']")!;
        var token = ((IHtmlInputElement)form.QuerySelector("input[name=__RequestVerificationToken]")!).Value;
        using var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new ByteArrayContent(zip), "upload", fileName } };
        var response = await client.PostAsync(form.GetAttribute("action"), content);
        return response.ParseBody();
    }

    /// <summary>Presses "Import N agreements"; a started import is followed on its progress page until it has finished.</summary>
    internal static async Task<IHtmlDocument> RunAsync(HttpClient client, IHtmlDocument checkedPage)
    {
        var form = (IHtmlFormElement)checkedPage.QuerySelector("form[action*='Run']")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").Cast<IHtmlInputElement>().Select(i => new KeyValuePair<string, string>(i.Name!, i.Value));
        var response = await client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect) return response.ParseBody();
        var progress = response.Headers.Location!.OriginalString;
        Assert.Matches("^/import/jobs/[0-9a-f-]{36}$", progress);
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(100))
        {
            var page = await client.GetPageAsync(progress);
            if (page.QuerySelector("h1")!.TextContent != "Importing agreements") return page;
        }
        throw new TimeoutException($"The import at {progress} did not finish within a minute");
    }

    internal static string Summary(IHtmlDocument page, string key) =>
        page.QuerySelectorAll(".govuk-summary-list__row").Single(r => r.QuerySelector("dt")!.TextContent.Trim() == key).QuerySelector("dd")!.TextContent.Trim();

    Task<int> CountAsync(string titleStart) => app.InDatabaseAsync(db => db.Agreements.CountAsync(a => a.Title.StartsWith(titleStart)));


    [Fact]
    public async Task An_editor_checks_a_zip_imports_the_good_rows_and_importing_it_again_adds_nothing()
    {
        using var editor = await EditorAsync();
        var zip = Zip(
            ("manifest.csv", "title,lead_organisation,files,purpose\r\nRowan one,LFB,one.txt,First\r\nRowan two,London Fire Brigade,docs/two.txt,Second\r\n" +
                "Rowan three,Met Police,three.txt,Not ours to lead\r\n"),
            ("one.txt", "Rowan one."), ("docs/two.txt", "Rowan two."), ("three.txt", "Rowan three."));

        var check = await UploadAsync(editor, zip);
        Assert.Equal("Check your import", check.QuerySelector("h1")!.TextContent);
        Assert.Equal("2", Summary(check, "To add"));
        Assert.Equal("1", Summary(check, "To correct"));
        var problem = check.QuerySelectorAll("table tbody tr").Select(r => r.TextContent).Single(t => t.Contains("Error"));
        Assert.Contains("4", problem);
        Assert.Contains("You can only import agreements that an organisation you are an editor for leads", problem);
        Assert.Equal(0, await CountAsync("Rowan"));
        // The ZIP waits in the blob store, where the sweeper leaves it (even with no grace) until the import has run.
        var zipBlob = await app.InDatabaseAsync(db => db.StagedImports.Select(s => s.Sha256).SingleAsync());
        var sweeper = app.Services.GetRequiredService<BlobSweeper>();
        await sweeper.SweepAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.True(app.Services.GetRequiredService<Concordat.Documents.IBlobStore>().Exists(zipBlob));

        var done = await RunAsync(editor, check);
        Assert.Equal("Import finished", done.QuerySelector("h1")!.TextContent);
        Assert.Equal("2", Summary(done, "Added"));
        Assert.Equal(2, await CountAsync("Rowan"));
        Assert.Equal(0, await app.InDatabaseAsync(db => db.StagedImports.CountAsync()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(app.ImportScratchFolder));
        await sweeper.SweepAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.False(app.Services.GetRequiredService<Concordat.Documents.IBlobStore>().Exists(zipBlob));
        Assert.Equal("That import has already run or has expired. Upload the ZIP again.", (await RunAsync(editor, check)).ErrorSummaryText().Trim().Split('\n').Last().Trim());

        var again = await UploadAsync(editor, zip);
        Assert.Equal("0", Summary(again, "To add"));
        Assert.Equal("2", Summary(again, "Unchanged"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_zip_or_escapes_its_folder_is_refused_and_nothing_is_left_behind()
    {
        using var editor = await EditorAsync();
        int Blobs() => Directory.Exists(app.BlobRoot) ? Directory.EnumerateFiles(app.BlobRoot, "*", SearchOption.AllDirectories).Count() : 0;
        var blobsBefore = Blobs();
        var notZip = await UploadAsync(editor, Encoding.UTF8.GetBytes("title,lead_organisation,files\r\n"), "manifest.csv");
        Assert.Contains("The file is not a ZIP", notZip.ErrorSummaryText());
        var escaping = await UploadAsync(editor, Zip(("manifest.csv", "title,lead_organisation,files\r\nA,LFB,a.txt\r\n"), ("../../evil.txt", "x")));
        Assert.Contains("a path outside the ZIP itself", escaping.ErrorSummaryText());
        var noManifest = await UploadAsync(editor, Zip(("a.txt", "x"), ("b.txt", "y")));
        Assert.Contains("The ZIP has no manifest", noManifest.ErrorSummaryText());
        // A ZIP that unpacks but whose manifest cannot run (no title column) is not kept for a run either.
        var cannotRun = await UploadAsync(editor, Zip(("manifest.csv", "name,lead_organisation,files\r\nA,LFB,a.txt\r\n"), ("a.txt", "x")));
        Assert.Contains("title", cannotRun.ErrorSummaryText());
        Assert.Null(cannotRun.QuerySelector("form[action*='Run']"));

        Assert.Empty(Directory.Exists(app.ImportScratchFolder) ? Directory.EnumerateFileSystemEntries(app.ImportScratchFolder) : []);
        Assert.False(File.Exists(Path.Combine(app.Root, "evil.txt")));
        Assert.Equal(0, await app.InDatabaseAsync(db => db.StagedImports.CountAsync()));
        Assert.Equal(blobsBefore, Blobs());
    }

    [Fact]
    public async Task People_who_edit_for_no_organisation_cannot_import_and_the_template_is_for_anyone()
    {
        var template = await app.CreateClient().GetAsync("/import/manifest-template.csv");
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.StartsWith("title,lead_organisation,files,", Encoding.UTF8.GetString((await template.Content.ReadAsByteArrayAsync())[3..]));
        await app.AddPersonAsync("reader@import.example", "London Borough of Camden");
        using var reader = await app.SignInAsync("reader@import.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/import")).StatusCode);
    }

    [Fact]
    public async Task A_running_import_shows_its_progress_a_stopped_one_says_what_to_do_and_no_one_else_sees_either()
    {
        using var editor = await EditorAsync();
        var (running, stalled) = (Guid.NewGuid(), Guid.NewGuid());
        await app.InDatabaseAsync(async db =>
        {
            var userId = await db.Users.Where(u => u.Email == Editor).Select(u => u.Id).SingleAsync();
            ImportJob Job(Guid id, DateTimeOffset updated) => new()
            {
                Id = id, UserId = userId, StagedId = id.ToString("N"), State = ImportJobState.Running, Done = 3, Total = 10, Created = updated, Updated = updated,
            };
            db.ImportJobs.AddRange(Job(running, DateTimeOffset.UtcNow), Job(stalled, DateTimeOffset.UtcNow - ImportJob.StalledAfter - TimeSpan.FromMinutes(1)));
            return await db.SaveChangesAsync();
        });

        var page = await editor.GetPageAsync($"/import/jobs/{running}");
        Assert.Equal("Importing agreements", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("3 of 10 agreements imported.", page.QuerySelector("#import-progress")!.TextContent);
        var progress = await editor.GetFromJsonAsync<JsonObject>($"/import/jobs/{running}?handler=Progress");
        Assert.Equal(3, (int)progress!["done"]!);
        Assert.True((bool)progress["running"]!);

        var stopped = await editor.GetPageAsync($"/import/jobs/{stalled}");
        Assert.Equal("The import stopped", stopped.QuerySelector("h1")!.TextContent);
        Assert.Contains("3 of 10 agreements were imported before it stopped", stopped.QuerySelector("main")!.TextContent);
        Assert.False((bool)(await editor.GetFromJsonAsync<JsonObject>($"/import/jobs/{stalled}?handler=Progress"))!["running"]!);

        await app.AddPersonAsync("other-importer@lfb.example", "London Fire Brigade", OrganisationRole.Editor);
        using var other = await app.SignInAsync("other-importer@lfb.example");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/import/jobs/{running}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/import/jobs/{running}?handler=Progress")).StatusCode);
    }
}
