using System.Security.Cryptography;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Audit;
using Concordat.Cli;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Import;

/// <summary>concordat import: a folder of agreement files with its CSV manifest, checked first, then imported row by row.</summary>
public sealed class ImportCommandTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    const string Header = "title,lead_organisation,files,local_reference,agreement_type,status,purpose,parties,data_subjects,sensitivity,lawful_basis," +
        "start_date,review_date,visibility,contact_email,geography";

    /// <summary>A fresh import folder holding the given files (path → text) and a manifest.</summary>
    string Folder(string manifest, params (string Path, string Text)[] files) => FolderOfBytes(Encoding.UTF8.GetBytes(manifest), files);

    string FolderOfBytes(byte[] manifest, params (string Path, string Text)[] files)
    {
        var folder = Directory.CreateDirectory(Path.Combine(app.Root, "imports", Guid.NewGuid().ToString("N")[..8])).FullName;
        File.WriteAllBytes(Path.Combine(folder, "manifest.csv"), manifest);
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            File.WriteAllText(Path.Combine(folder, path), text);
        }
        return folder;
    }

    async Task<(int Exit, string Output, string Errors)> ImportAsync(string folder, params string[] extra)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CommandLine.RunAsync(app.Services, ["import", "--manifest", Path.Combine(folder, "manifest.csv"), .. extra], output, errors);
        return (exit, output.ToString(), errors.ToString());
    }


    static string Complete(string title, string reference, string file, string purpose = "Referrals for home fire safety visits.") =>
        $"{title},London Fire Brigade,{file},{reference},Information sharing agreement,Active,\"{purpose}\",\"London Borough of Camden (discloser); LFB (recipient)\"," +
        "residents,personal,Public task,01/04/2025,2027-04-01,public,ig@lfb.example.gov.uk,Camden";

    [Fact]
    public async Task An_import_row_reads_its_files_before_it_waits_for_the_write_lock()
    {
        // Reading a file (OCR included) can take minutes; every other writer on every node waits while the lock is held.
        var folder = Folder($"{Header}\n{Complete("Held lock import", "HLI-1", "held.txt")}\n", ("held.txt", "The held lock agreement."));
        var staging = Path.Combine(app.BlobRoot, "tmp");
        string[] Staged() => Directory.Exists(staging) ? Directory.GetFiles(staging) : [];
        var before = Staged();
        Task<(int Exit, string Output, string Errors)> import;
        await using (await app.HoldWritesAsync())
        {
            import = Task.Run(() => ImportAsync(folder));
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); Staged().Except(before).Count() == 0 && !import.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(20);)
                await Task.Delay(20);
            Assert.NotEmpty(Staged().Except(before)); // read and staged while another writer held the lock
            Assert.False(import.IsCompleted);
            Assert.Equal(0, await app.InDatabaseAsync(db => db.Agreements.CountAsync(a => a.Title == "Held lock import")));
        }
        var (exit, output, errors) = await import;
        Assert.True(exit == 0, output + errors);
        Assert.Equal(1, await app.InDatabaseAsync(db => db.Agreements.CountAsync(a => a.Title == "Held lock import")));
        Assert.Empty(Staged().Except(before));
    }

    [Fact]
    public async Task A_folder_is_imported_and_running_the_same_manifest_again_changes_nothing_while_a_changed_row_updates()
    {
        var manifest = Header + "\r\n" +
            Complete("Quince referrals", "LFB-Q-1", "quince.txt; dpia: dpia/quince-dpia.txt") + "\r\n" +
            Complete("Quince hoarding panel", "LFB-Q-2", "panel.txt") + "\r\n" +
            "Quince minimal,LFB,minimal.txt,,,,,,,,,,,,,\r\n";
        var folder = Folder(manifest, ("quince.txt", "The quince agreement."), ("dpia/quince-dpia.txt", "The quince DPIA."),
            ("panel.txt", "The quince panel agreement."), ("minimal.txt", "Just a title and a file, between LFB and the London Borough of Camden, reviewed by 1 April 2027."));

        var (exit, output, _) = await ImportAsync(folder);
        Assert.True(exit == 0, output);
        Assert.Contains("3 added", output);
        var imported = await app.InDatabaseAsync(db => db.Agreements.Include(a => a.Files).ThenInclude(f => f.Versions).Include(a => a.Parties)
            .Where(a => a.Title.StartsWith("Quince")).ToDictionaryAsync(a => a.Title));
        Assert.Equal(3, imported.Count);
        var referrals = imported["Quince referrals"];
        Assert.NotNull(referrals.PublishedAt);
        Assert.Equal(Concordat.Agreements.AgreementStatus.Active, referrals.Status);
        Assert.Equal(new DateOnly(2025, 4, 1), referrals.StartDate);
        Assert.Equal(["E09000007"], referrals.BoroughCodes);
        Assert.Equal(2, referrals.Parties.Count);
        Assert.Equal([Concordat.Agreements.FileKind.Agreement, Concordat.Agreements.FileKind.Dpia], referrals.Files.Select(f => f.Kind).Order());
        Assert.Null(imported["Quince minimal"].PublishedAt); // incomplete: a draft until completed
        Assert.Contains("Imported as a draft until it is complete", output);
        // Its text names the parties and a review date the manifest left out: offered on its page, not written.
        Assert.Contains("Quince minimal (draft); its text suggests values for 2 empty fields, to review on its page", output);
        Assert.Empty(imported["Quince minimal"].Parties);

        // The same manifest again: nothing changes, not even an audit event.
        var audited = await app.InDatabaseAsync(db => db.AuditEvents.CountAsync());
        (exit, output, _) = await ImportAsync(folder);
        Assert.True(exit == 0, output);
        Assert.Contains("0 added", output);
        Assert.Contains("3 unchanged", output);
        Assert.Equal(audited, await app.InDatabaseAsync(db => db.AuditEvents.CountAsync()));
        Assert.Equal(3, await app.InDatabaseAsync(db => db.Agreements.CountAsync(a => a.Title.StartsWith("Quince"))));
        // The same parties in another order are the same record.
        File.WriteAllText(Path.Combine(folder, "manifest.csv"), manifest.Replace("London Borough of Camden (discloser); LFB (recipient)", "LFB (recipient); London Borough of Camden (discloser)"));
        (exit, output, _) = await ImportAsync(folder);
        Assert.Contains("3 unchanged", output);
        Assert.DoesNotContain("Upload the agreement document", output); // the row names it: not a reason to stay a draft

        // A changed purpose and a changed file update that agreement only: the file gets a second version.
        File.WriteAllText(Path.Combine(folder, "manifest.csv"), manifest.Replace("Quince hoarding panel,London Fire Brigade,panel.txt,LFB-Q-2,Information sharing agreement,Active,\"Referrals",
            "Quince hoarding panel,London Fire Brigade,panel.txt,LFB-Q-2,Information sharing agreement,Active,\"Changed: referrals"));
        File.WriteAllText(Path.Combine(folder, "panel.txt"), "The quince panel agreement, second edition.");
        (exit, output, _) = await ImportAsync(folder);
        Assert.True(exit == 0, output);
        Assert.Contains("1 updated", output);
        Assert.Contains("2 unchanged", output);
        var panel = await app.InDatabaseAsync(db => db.Agreements.Include(a => a.Files).ThenInclude(f => f.Versions).SingleAsync(a => a.Title == "Quince hoarding panel"));
        Assert.StartsWith("Changed: referrals", panel.Purpose);
        Assert.Equal([1, 2], panel.Files.Single().Versions.Select(v => v.Number).Order());
    }

    [Fact]
    public async Task Bad_rows_are_named_by_row_title_and_column_the_good_ones_go_in_and_the_corrected_manifest_adds_only_the_rest()
    {
        var rows = new[]
        {
            Complete("Medlar good", "M-1", "good.txt"),
            Complete("Medlar typo", "M-2", "good2.txt").Replace(",London Fire Brigade,", ",London Fire Brigad,"),
            Complete("Medlar date", "M-3", "good3.txt").Replace("01/04/2025", "31/02/2025"),
            Complete("Medlar basis", "M-4", "good4.txt").Replace("Public task", "public tsk"),
            Complete("Medlar missing", "M-5", "nowhere.txt"),
            Complete("Medlar escape", "M-6", "../../etc/passwd"),
            Complete("Medlar repeat", "M-1", "good.txt"),
        };
        var folder = Folder(Header + "\r\n" + string.Join("\r\n", rows) + "\r\n",
            ("good.txt", "Good."), ("good2.txt", "Good two."), ("good3.txt", "Good three."), ("good4.txt", "Good four."), ("stray.txt", "Named by no row."));
        var (exit, output, _) = await ImportAsync(folder);
        Assert.Equal(1, exit);
        Assert.Contains("1 added", output);
        Assert.Contains("6 to correct", output);
        // Each problem names the spreadsheet row and the agreement's title.
        Assert.Contains("row 3 \"Medlar typo\", lead_organisation: No organisation in the registry is called \"London Fire Brigad\". Did you mean \"London Fire Brigade\"", output);
        Assert.Matches(@"row 4 ""Medlar date"", start_date: .*date", output);
        Assert.Matches(@"row 5 ""Medlar basis"", lawful_basis: .*public-task", output);
        Assert.Contains("row 6 \"Medlar missing\", files: There is no file \"nowhere.txt\" in the import folder.", output);
        Assert.Contains("row 7 \"Medlar escape\", files: \"../../etc/passwd\" is outside the import folder.", output);
        Assert.Contains("row 8 \"Medlar repeat\", local_reference: Row 2 is the same agreement", output);
        Assert.Contains("stray.txt", output); // named by no row
        Assert.Equal(["Medlar good"], await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Title.StartsWith("Medlar")).Select(a => a.Title).ToListAsync()));

        // Corrected: the good row is left alone, the others are added once.
        var corrected = new[]
        {
            Complete("Medlar good", "M-1", "good.txt"), Complete("Medlar typo", "M-2", "good2.txt"), Complete("Medlar date", "M-3", "good3.txt"),
            Complete("Medlar basis", "M-4", "good4.txt"),
        };
        File.WriteAllText(Path.Combine(folder, "manifest.csv"), Header + "\r\n" + string.Join("\r\n", corrected));
        (exit, output, _) = await ImportAsync(folder);
        Assert.True(exit == 0, output);
        Assert.Contains("3 added", output);
        Assert.Contains("1 unchanged", output);
        Assert.Equal(4, await app.InDatabaseAsync(db => db.Agreements.CountAsync(a => a.Title.StartsWith("Medlar"))));
    }

    [Fact]
    public async Task A_manifest_that_cannot_be_used_is_refused_with_a_reason_and_changes_nothing()
    {
        var before = await app.InDatabaseAsync(db => db.Agreements.CountAsync());
        foreach (var (manifest, reason) in new (byte[], string)[]
        {
            ([], "The manifest is empty"),
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "not a CSV file"),
            (Encoding.UTF8.GetBytes("title,files\r\nA,a.txt\r\n"), "The column lead_organisation is missing"),
            (Encoding.UTF8.GetBytes("title,lead_organisation,files,title\r\nA,LFB,a.txt,B\r\n"), "line 1, title: This column appears more than once"),
            (Encoding.UTF8.GetBytes("title,lead_organisation,files\r\n\"Unclosed,LFB,a.txt\r\n"), "line 2: A quoted cell starting on this line is never closed"),
        })
        {
            var (exit, output, _) = await ImportAsync(FolderOfBytes(manifest, ("a.txt", "A.")));
            Assert.True(exit == 2, output);
            Assert.Contains(reason, output);
        }
        Assert.Equal(before, await app.InDatabaseAsync(db => db.Agreements.CountAsync()));
    }

    [Fact]
    public async Task Windows_1252_a_byte_order_mark_quoted_line_breaks_and_ten_thousand_rows_are_read()
    {
        var legacy = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        var folder = FolderOfBytes(legacy.GetBytes(Header + "\r\n" + Complete("Sloe costs", "S-1", "sloe.txt", "Visits cost £40,\nor £25 online.") + "\r\n"),
            ("sloe.txt", "Sloe."));
        var (exit, output, _) = await ImportAsync(folder);
        Assert.True(exit == 0, output);
        Assert.Contains("read as Windows-1252", output);
        Assert.Equal("Visits cost £40,\nor £25 online.", await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Title == "Sloe costs").Select(a => a.Purpose).SingleAsync()));

        var many = new StringBuilder("\uFEFF" + Header + "\r\n");
        for (var i = 0; i < 10_000; i++) many.Append($"Bullace {i},LFB,bullace.txt,B-{i},,,\"Line one\nline two\",,,,,,,,,\r\n");
        (exit, output, _) = await ImportAsync(Folder(many.ToString(), ("bullace.txt", "Bullace.")), "--dry-run");
        Assert.True(exit == 0, output);
        Assert.Contains("10000 to add", output);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Agreements.CountAsync(a => a.Title.StartsWith("Bullace"))));
    }

    [Fact]
    public async Task A_row_that_fails_part_way_leaves_no_agreement_and_the_manifest_template_imports_cleanly()
    {
        // The second file claims to be a PDF but is not one: the record and the first file must not stay behind,
        // neither as rows nor as a stored or staged blob.
        var folder = Folder(Header + "\r\n" + Complete("Damson broken", "D-1", "damson.txt; appendix: broken.pdf") + "\r\n",
            ("damson.txt", "Damson, a file only this test uploads."), ("broken.pdf", "%PDF-1.7\nthis is not really a PDF at all"));
        var firstFile = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "damson.txt"))));
        var (exit, output, _) = await ImportAsync(folder);
        Assert.Equal(1, exit);
        Assert.Contains("Not imported, nothing of it was saved", output);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Agreements.CountAsync(a => a.Title == "Damson broken")));
        Assert.DoesNotContain(app.StoredBlobs(), b => Path.GetFileName(b) == firstFile);
        var staging = Path.Combine(app.BlobRoot, "tmp");
        Assert.Empty(Directory.Exists(staging) ? Directory.GetFiles(staging) : []);

        var template = Folder(Concordat.Import.ManifestColumns.Template(), ("home-fire-safety.pdf", "x"), ("home-fire-safety-dpia.docx", "x"));
        (exit, output, _) = await ImportAsync(template, "--dry-run");
        Assert.DoesNotContain("lead_organisation:", output);
        Assert.DoesNotContain("Not a column", output);
    }

    // ---- A real register's names ----

    [Fact]
    public async Task The_usual_ways_of_writing_a_public_bodys_name_find_the_seeded_body_and_add_nothing()
    {
        var organisations = await app.InDatabaseAsync(db => db.Organisations.CountAsync());
        var rows = new[]
        {
            ("Lambeth council name", "London Borough of Lambeth Council"), ("Kingston royal borough", "Royal Borough of Kingston-Upon-Thames Council"),
            ("Lambeth short", "LB Lambeth"), ("Hammersmith ampersand", "London Borough of Hammersmith & Fulham"),
            ("Westminster council", "Westminster Council"), ("Barts foundation trust", "Barts Health NHS Foundation Trust"),
        };
        var manifest = "title,lead_organisation,files\r\n" + string.Join("\r\n", rows.Select((r, i) => $"Variant {r.Item1},{r.Item2},v{i}.txt")) + "\r\n";
        var folder = Folder(manifest, [.. rows.Select((_, i) => ($"v{i}.txt", $"Agreement {i}."))]);

        var (exit, output, _) = await ImportAsync(folder, "--add-organisations");

        Assert.True(exit == 0, output);
        Assert.Contains($"{rows.Length} added", output);
        Assert.DoesNotContain("organisation added", output);
        Assert.Equal(organisations, await app.InDatabaseAsync(db => db.Organisations.CountAsync()));
        var leads = await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Title.StartsWith("Variant ")).OrderBy(a => a.Id).Select(a => a.LeadOrganisation!.Name).ToListAsync());
        Assert.Equal(["London Borough of Lambeth", "Royal Borough of Kingston upon Thames", "London Borough of Lambeth", "London Borough of Hammersmith and Fulham",
            "Westminster City Council", "Barts Health NHS Trust"], leads);
    }

    [Fact]
    public async Task Organisations_an_import_adds_are_added_once_whatever_their_case_with_the_type_the_manifest_gives_and_named_in_the_report()
    {
        var manifest = "title,lead_organisation,files,parties,organisation_type\r\n" +
            "Regulator one,MONITOR,r1.txt,\"MONITOR (discloser); Quillfeather Trust (recipient)\",\"Monitor: other-public-body; Quillfeather Trust: voluntary-organisation\"\r\n" +
            "Regulator two,Monitor,r2.txt,Monitor (discloser),other-public-body\r\n";
        var folder = Folder(manifest, ("r1.txt", "One."), ("r2.txt", "Two."));

        var (dryExit, dryOutput, _) = await ImportAsync(folder, "--add-organisations", "--dry-run");
        var (exit, output, _) = await ImportAsync(folder, "--add-organisations");

        Assert.True(dryExit == 0, dryOutput);
        Assert.True(exit == 0, output);
        Assert.Contains("organisation to add for review: MONITOR (other public body; rows 2, 3)", dryOutput);
        Assert.Contains("organisation added for review: Quillfeather Trust (voluntary or community organisation; rows 2)", output);
        var added = await app.InDatabaseAsync(db => db.Organisations.Where(o => o.Name.ToLower() == "monitor" || o.Name == "Quillfeather Trust")
            .Select(o => new { o.Name, o.Type }).ToListAsync());
        Assert.Equal(2, added.Count);
        Assert.Contains(added, o => o.Name == "Quillfeather Trust" && o.Type == Concordat.Organisations.OrganisationType.VoluntaryOrganisation);
    }

    [Fact]
    public async Task A_name_nobody_knows_is_said_once_with_every_row_it_affects()
    {
        var rows = Enumerable.Range(1, 12).Select(i => $"Unknown body {i},Department of Imaginary Affairs,u{i}.txt,\"Department of Imaginary Affairs (discloser); LFB (recipient)\"");
        var folder = Folder("title,lead_organisation,files,parties\r\n" + string.Join("\r\n", rows) + "\r\n",
            [.. Enumerable.Range(1, 12).Select(i => ($"u{i}.txt", $"Unknown {i}."))]);

        var (exit, output, _) = await ImportAsync(folder, "--dry-run");

        Assert.Equal(1, exit);
        Assert.Contains("12 to correct", output);
        var mentions = output.Split('\n').Where(l => l.Contains("Department of Imaginary Affairs")).ToList();
        Assert.Equal(["  error: row 2 \"Unknown body 1\", lead_organisation: No organisation in the registry is called \"Department of Imaginary Affairs\" " +
            "(rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 2 more). Did you mean"], mentions.Select(m => m[..m.IndexOf("Did you mean", StringComparison.Ordinal)] + "Did you mean"));
    }

    [Fact]
    public async Task A_dry_run_says_what_the_real_run_publishes_when_the_import_adds_a_party()
    {
        var row = Complete("Plum referrals", "P-1", "plum.txt").Replace("London Borough of Camden (discloser)", "Plumtree Housing Co-operative (discloser)");
        var folder = Folder(Header + "\r\n" + row + "\r\n", ("plum.txt", "The plum agreement."));

        var (_, dryOutput, _) = await ImportAsync(folder, "--add-organisations", "--dry-run");
        var (exit, output, _) = await ImportAsync(folder, "--add-organisations");

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("draft", dryOutput);
        Assert.DoesNotContain("(draft)", output);
        Assert.NotNull(await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Title == "Plum referrals").Select(a => a.PublishedAt).SingleAsync()));
    }

    [Fact]
    public async Task The_registers_export_imports_again_unchanged_and_an_unpublished_record_exports_as_a_draft()
    {
        var (exit, output, _) = await ImportAsync(Folder(Header + "\r\n" + Complete("Damson round trip", "D-1", "damson.txt") + "\r\n" +
            "Damson unfinished,LFB,unfinished.txt,D-2,,Active,,,,,,,,,,\r\n", ("damson.txt", "The damson agreement."), ("unfinished.txt", "Not finished.")));
        Assert.True(exit == 0, output);
        using var admin = await app.AdminApiAsync();
        // The export is filtered through the search index, which takes the import in within moments.
        byte[] export = [];
        var text = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(15); !(text.Contains("Damson round trip") && text.Contains("Damson unfinished")) && DateTime.UtcNow < deadline; await Task.Delay(200))
            text = Encoding.UTF8.GetString(export = await admin.GetByteArrayAsync("/api/v1/export/agreements.csv?q=damson"));
        Assert.Contains(",draft,", text.Split('\n').Single(l => l.Contains("Damson unfinished")));

        var (againExit, again, _) = await ImportAsync(FolderOfBytes(export), "--dry-run");

        Assert.True(againExit == 0, again);
        Assert.True(again.Contains("2 unchanged"), again);
        Assert.DoesNotContain("error", again);
    }

    [Fact]
    public async Task A_manifest_saved_in_a_narrower_encoding_cannot_overwrite_text_with_question_marks_and_a_dry_run_names_what_each_row_changes()
    {
        const string purpose = "Referrals from the Łódź twinning team for home fire safety visits.";
        var (exit, output, _) = await ImportAsync(Folder(Header + "\r\n" + Complete("Elder twinning", "E-1", "elder.txt", purpose) + "\r\n" +
            Complete("Elder second", "E-2", "elder2.txt") + "\r\n", ("elder.txt", "Elder."), ("elder2.txt", "Elder two.")));
        Assert.True(exit == 0, output);

        // Re-saved from Excel as "CSV": what Windows-1252 cannot hold becomes "?". The second row moves its review date.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var resaved = Encoding.GetEncoding(1252, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback).GetBytes(
            Header + "\r\n" + Complete("Elder twinning", "E-1", "elder.txt", purpose) + "\r\n" + Complete("Elder second", "E-2", "elder2.txt").Replace("2027-04-01", "2027-10-01") + "\r\n");
        var folder = FolderOfBytes(resaved, ("elder.txt", "Elder."), ("elder2.txt", "Elder two."));

        var (_, dry, _) = await ImportAsync(folder, "--dry-run");
        var (_, real, _) = await ImportAsync(folder);

        Assert.Contains("row 2 \"Elder twinning\", purpose: The manifest has \"Referrals from the ?ód? twinning team", dry);
        Assert.Contains("row 3 \"Elder second\": to update review_date", dry);
        Assert.Contains("1 updated", real);
        Assert.Equal(purpose, await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Title == "Elder twinning").Select(a => a.Purpose).SingleAsync()));
    }

    /// <summary><c>dotnet run --project</c> runs the app in the project's folder; a relative path means the folder the person typed it in.</summary>
    [Fact]
    public async Task Relative_paths_are_read_from_the_folder_the_command_was_run_in()
    {
        var folder = Folder("title,lead_organisation,files\r\nRowan relative,LFB,rowan.txt\r\n", ("rowan.txt", "The rowan agreement."));
        var shells = Environment.GetEnvironmentVariable("PWD");
        Environment.SetEnvironmentVariable("PWD", Path.GetDirectoryName(folder));
        try
        {
            var output = new StringWriter();
            var exit = await CommandLine.RunAsync(app.Services, ["import", "--manifest", Path.Combine(Path.GetFileName(folder), "manifest.csv"), "--dry-run"], output, new StringWriter());
            Assert.True(exit == 0, output.ToString());
            Assert.Contains("1 to add", output.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("PWD", shells);
        }
    }

    [Fact]
    public async Task A_real_length_purpose_is_kept_whole_as_the_description_searchable_with_its_opening_as_the_purpose()
    {
        var opening = "The partners share information about adults at risk so that safeguarding enquiries can be made quickly.";
        var rest = string.Join(" ", Enumerable.Range(1, 120).Select(i => $"Clause {i} sets out how the partners handle the records they exchange."));
        var purpose = opening + " " + rest + " Finally the wagtail protocol governs disputes.";
        var (exit, output, _) = await ImportAsync(Folder(Header + "\r\n" + Complete("Hazel safeguarding", "H-1", "hazel.txt", purpose) + "\r\n", ("hazel.txt", "Hazel.")));

        Assert.True(exit == 0, output);
        Assert.Contains("row 2 \"Hazel safeguarding\", purpose: The purpose has 1,", output);
        var saved = await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Title == "Hazel safeguarding").Select(a => new { a.Purpose, a.Description, a.PublishedAt }).SingleAsync());
        Assert.StartsWith(opening, saved.Purpose);
        Assert.True(saved.Purpose!.Split(' ').Length <= 100);
        Assert.Equal(purpose, saved.Description);
        Assert.NotNull(saved.PublishedAt);
        using var api = await app.AdminApiAsync();
        var found = false;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !found && DateTime.UtcNow < deadline; await Task.Delay(200))
            found = (await api.GetStringAsync("/api/v1/search?q=wagtail")).Contains("Hazel safeguarding");
        Assert.True(found, "a word from the end of the full description is not found by search");
    }

    [Fact]
    public void A_name_three_organisations_share_finds_none_of_them()
    {
        var matcher = new Concordat.Import.OrganisationMatcher([
            new Organisation { Id = 1, Name = "London Borough of Barnet" }, new Organisation { Id = 2, Name = "Barnet Council" },
            new Organisation { Id = 3, Name = "LB Barnet" }]);

        Assert.Null(matcher.Find("Barnet Borough Council"));
        Assert.Equal(2, matcher.Find("barnet council")!.Id); // a name written exactly still finds its own
    }
}
