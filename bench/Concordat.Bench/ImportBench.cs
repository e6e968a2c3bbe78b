using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Documents;
using Concordat.Import;
using Concordat.OpenData;
using Concordat.Organisations;
using Concordat.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Bench;

// Import benchmark (issue 5): the ingest corpus (alternately PDF and DOCX, 5–40 pages) with a CSV manifest describing each
// document as a complete agreement, imported through the app's Importer as `concordat import` runs it, and compared with
// raw extraction of the same files in the same run. Writes the "Import (issue 5)" section of bench/RESULTS.md.
//
//   dotnet run -c Release --project bench/Concordat.Bench -- import --count 1000
//
// Options: --count N (agreements, one file each, default 1000), --reps N (default 3), --no-profile (skip the instrumented
// pass), --results PATH (default bench/RESULTS.md), --no-write.

sealed record ImportBenchOptions(int Count, int Reps, bool Profile, bool Write, string? ResultsPath, string[] Args)
{
    public static ImportBenchOptions Parse(string[] args)
    {
        int count = 1000, reps = 3;
        bool profile = true, write = true;
        string? results = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--count": count = int.TryParse(Value(), out var c) && c is >= 2 and <= ManifestReader.MaxRows ? c : throw new ArgumentException($"--count must be 2 to {ManifestReader.MaxRows}"); break;
                case "--reps": reps = int.TryParse(Value(), out var r) && r >= 1 ? r : throw new ArgumentException("--reps must be at least 1"); break;
                case "--no-profile": profile = false; break;
                case "--no-write": write = false; break;
                case "--results": results = Path.GetFullPath(Value()); break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }
        }
        return new ImportBenchOptions(count, reps, profile, write, results, args);
    }

    public string Command => "dotnet run -c Release --project bench/Concordat.Bench -- import " +
                             (Args.Contains("--count") ? string.Join(' ', Args) : string.Join(' ', new[] { "--count", Count.ToString() }.Concat(Args)));
}

/// <summary>One import of the manifest into a fresh app: the dry run, the import, the re-run, and what the index had done.</summary>
/// <param name="IndexBuilds">Agreement documents the background indexer built (record and text) while the import ran.</param>
/// <param name="ImportIndexerOff">The same import in another fresh app with the background indexer taken out.</param>
sealed record ImportPass(int Rep, TimeSpan DryRun, TimeSpan Import, TimeSpan ToFirstRow, List<double> RowMs, TimeSpan Rerun,
    TimeSpan RerunDocumentOrder, int RerunDocumentOrderUpdated, long OutboxAtEnd, long IndexedAtEnd, TimeSpan IndexCatchUp, int IndexBuilds, int Published,
    int Warnings, TimeSpan ImportIndexerOff);

/// <param name="RegistryOrder">The manifest timed: partners in the registry's order.</param>
/// <param name="DocumentOrder">The same rows with the partners in the order each document lists them.</param>
sealed record Manifests(byte[] RegistryOrder, byte[] DocumentOrder);

/// <summary>The instrumented import (search indexer off): where the time of the apply phase goes.</summary>
/// <param name="PlanReads">Queries and their time in the dry run: the import's own check makes the same ones before it applies anything.</param>
sealed record ImportProfile(TimeSpan Import, TimeSpan DryRun, int PlanQueries, TimeSpan PlanReads, StageClock Clock);

static class ImportBench
{
    const string ManifestName = "manifest.csv";

    public static async Task<int> RunAsync(string[] args)
    {
        ImportBenchOptions options;
        try { options = ImportBenchOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Concordat.Bench -- import [--count N] [--reps N] [--no-profile] [--results PATH] [--no-write]");
            return 2;
        }
        var resultsPath = options.Write ? options.ResultsPath ?? ResultsFile.DefaultPath() : null;
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);

        var started = DateTimeOffset.Now;
        var machine = MachineInfo.Announce($"Concordat import benchmark: {options.Count} agreements (one document each), {options.Reps} repetitions");

        Manifests manifests;
        var generation = Stopwatch.StartNew();
        using var corpus = Corpus.Generate(options.Count);
        generation.Stop();

        // Warm-up: the raw path on the warm-up files, and an import of them into a throwaway app (the JIT is per process).
        // Every fresh app seeds the same registry in the same order, so its ids hold for the timed apps too.
        for (var round = 0; round < IngestBench.WarmUpRounds; round++) await RawExtraction.RunAsync(corpus.WarmUp, checkPages: false);
        await using (var warm = new BenchApp(kestrel: false))
        {
            Dictionary<string, int> registry;
            await using (var scope = warm.Services.CreateAsyncScope())
                registry = await scope.ServiceProvider.GetRequiredService<ConcordatDb>().Organisations.ToDictionaryAsync(o => o.Name, o => o.Id);
            manifests = new Manifests(Manifest(corpus.Files, registry), Manifest(corpus.Files, registry: null));
            await File.WriteAllBytesAsync(Path.Combine(corpus.Folder, ManifestName), manifests.RegistryOrder);
            await ImportAsync(warm, Manifest(corpus.WarmUp, registry), corpus.Folder, new ImportOptions(), corpus.WarmUp.Count, progress: null, builds: null, RowOutcome.Created);
        }
        Console.WriteLine($"Generated {corpus.Files.Count} documents ({Units.MB(corpus.TotalBytes):0.0} MB, {corpus.TotalPages} pages) and {ManifestName} " +
                          $"({manifests.RegistryOrder.Length / 1024.0:0} KB) in {generation.Elapsed.TotalSeconds:0.0} s into {corpus.Folder}");
        await Task.Delay(500); // let the tiered JIT's background compilations land before the first timed pass

        var raws = new List<TimeSpan>();
        var passes = new List<ImportPass>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            // Odd repetitions: raw, import, import with the indexer off; even ones the reverse.
            var forward = rep % 2 == 1;
            TimeSpan off = default;
            if (forward) raws.Add(await RawPassAsync(corpus, rep));
            else off = await ImportIndexerOffAsync(corpus, manifests.RegistryOrder, rep);
            var pass = await ImportPassAsync(corpus, manifests, rep);
            if (forward) off = await ImportIndexerOffAsync(corpus, manifests.RegistryOrder, rep);
            else raws.Add(await RawPassAsync(corpus, rep));
            passes.Add(pass with { ImportIndexerOff = off });
        }

        ImportProfile? profile = null;
        if (options.Profile)
        {
            Console.WriteLine("Profile: one instrumented import, search indexer off (blob store wrapped, EF Core intercepted)");
            profile = await ProfileAsync(corpus, manifests.RegistryOrder);
        }

        var report = Render(options, machine, MachineInfo.ReadLoadAverage(), started, corpus, generation.Elapsed, manifests.RegistryOrder.Length, raws, passes, profile);
        Console.WriteLine();
        Console.WriteLine(report);
        if (resultsPath is not null)
        {
            await ResultsFile.WriteSectionAsync(resultsPath, "import", report);
            Console.WriteLine($"Wrote the import section of {resultsPath}");
        }
        return 0;
    }

    static async Task<TimeSpan> RawPassAsync(Corpus corpus, int rep)
    {
        IngestBench.Settle();
        var (elapsed, _, _) = await RawExtraction.RunAsync(corpus.Files, checkPages: true);
        Console.WriteLine($"  rep {rep} raw extraction (detect + extract)           {elapsed.TotalSeconds,8:0.00} s");
        return elapsed;
    }

    /// <summary>The import alone in a fresh app without the background indexer: what the indexing running beside it costs.</summary>
    static async Task<TimeSpan> ImportIndexerOffAsync(Corpus corpus, byte[] manifest, int rep)
    {
        await using var app = new BenchApp(kestrel: false, searchIndexer: false);
        _ = app.Services;
        IngestBench.Settle();
        var (import, _) = await ImportAsync(app, manifest, corpus.Folder, new ImportOptions(), corpus.Files.Count, progress: null, builds: null, RowOutcome.Created);
        await VerifyAsync(app, corpus.Files.Count);
        Console.WriteLine($"  rep {rep} import with the search indexer off              {import.TotalSeconds,8:0.00} s");
        return import;
    }

    /// <summary>A fresh app (empty database, blob folder and index): the dry run, the import, then the same manifest again.</summary>
    static async Task<ImportPass> ImportPassAsync(Corpus corpus, Manifests manifests, int rep)
    {
        var builds = new IndexBuildCounter();
        await using var app = new BenchApp(kestrel: false, interceptors: builds);
        var index = app.Services.GetRequiredService<SearchIndex>(); // starts the app: database migrated, organisations seeded
        var n = corpus.Files.Count;

        IngestBench.Settle();
        var (dryRun, planned) = await ImportAsync(app, manifests.RegistryOrder, corpus.Folder, new ImportOptions(DryRun: true), n, progress: null, builds: null, RowOutcome.Create);

        IngestBench.Settle();
        var rows = new RowClock();
        builds.Counting = true;
        var (import, report) = await ImportAsync(app, manifests.RegistryOrder, corpus.Folder, new ImportOptions(), n, rows, builds, RowOutcome.Created);
        builds.Counting = false;
        var outbox = await OutboxMaxAsync(app);
        var indexed = index.AppliedSequence;
        var catchUp = Stopwatch.StartNew();
        while (index.AppliedSequence < outbox) await Task.Delay(20);
        catchUp.Stop();
        await VerifyAsync(app, n);

        IngestBench.Settle();
        var (rerun, _) = await ImportAsync(app, manifests.RegistryOrder, corpus.Folder, new ImportOptions(), n, progress: null, builds: null, RowOutcome.Unchanged);
        if (await OutboxMaxAsync(app) != outbox) throw new InvalidOperationException("The re-run wrote to the register.");
        await VerifyAsync(app, n);

        // The same agreements with the partners in the order the documents list them: should be Unchanged too.
        IngestBench.Settle();
        var (rerunDocumentOrder, reordered) = await ImportAsync(app, manifests.DocumentOrder, corpus.Folder, new ImportOptions(), n, progress: null, builds: null, RowOutcome.Unchanged, RowOutcome.Updated);
        await VerifyAsync(app, n);

        var pass = new ImportPass(rep, dryRun, import, rows.ToFirstRow, rows.Intervals(), rerun, rerunDocumentOrder, reordered.Count(RowOutcome.Updated),
            outbox, indexed, catchUp.Elapsed, builds.Count, report.Rows.Count(r => r.Published), planned.Rows.Sum(r => r.Problems.Count(p => p.IsWarning)), default);
        Console.WriteLine($"  rep {rep} import: dry run {dryRun.TotalSeconds:0.00} s, import {import.TotalSeconds:0.00} s, re-run {rerun.TotalSeconds:0.00} s; " +
                          $"index at the end {indexed} of {outbox} outbox entries, caught up {catchUp.Elapsed.TotalSeconds:0.0} s later, {builds.Count} documents built during the import; " +
                          $"re-run with the documents' party order {rerunDocumentOrder.TotalSeconds:0.00} s, {reordered.Count(RowOutcome.Updated)} rows Updated");
        return pass;
    }

    /// <summary>Importer.RunAsync as the command line calls it (a scope, the process viewer), timed, every row checked for the expected outcome.</summary>
    static async Task<(TimeSpan Elapsed, ImportReport Report)> ImportAsync(BenchApp app, byte[] manifest, string folder, ImportOptions options,
        int expected, RowClock? progress, IndexBuildCounter? builds, params RowOutcome[] outcomes)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<Importer>();
        if (builds is not null) builds.Importer = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var viewer = Viewer.Process("bench");
        progress?.Begin();
        var clock = Stopwatch.StartNew();
        var report = await importer.RunAsync(manifest, folder, viewer, options, progress, CancellationToken.None);
        clock.Stop();
        var errors = report.ManifestProblems.Where(p => !p.IsWarning).Concat(report.Rows.SelectMany(r => r.Problems.Where(p => !p.IsWarning))).ToList();
        if (errors.Count > 0) throw new InvalidOperationException($"The import reported {errors.Count} errors, first: {errors[0]}");
        if (report.Rows.Count != expected || report.Count(outcomes) != expected)
            throw new InvalidOperationException($"Expected {expected} rows {string.Join(" or ", outcomes)}; got {string.Join(", ", report.Rows.GroupBy(r => r.Outcome).Select(g => $"{g.Count()} {g.Key}"))}.");
        return (clock.Elapsed, report);
    }

    static async Task<long> OutboxMaxAsync(BenchApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConcordatDb>().SearchOutbox.MaxAsync(e => (long?)e.Id) ?? 0;
    }

    /// <summary>One agreement, published, one file, one version, one text row and one blob per manifest row.</summary>
    static async Task VerifyAsync(BenchApp app, int n)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var (agreements, published, files, versions, texts) = (await db.Agreements.CountAsync(), await db.Agreements.CountAsync(a => a.PublishedAt != null),
            await db.AgreementFiles.CountAsync(), await db.FileVersions.CountAsync(), await db.FileTexts.CountAsync());
        var blobs = Directory.GetFiles(app.BlobRoot, "*", SearchOption.AllDirectories)
            .Count(f => !Path.GetRelativePath(app.BlobRoot, f).StartsWith("tmp" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        if (agreements != n || published != n || files != n || versions != n || texts != n || blobs != n)
            throw new InvalidOperationException($"Expected {n} of each; found {agreements} agreements ({published} published), {files} files, {versions} versions, {texts} texts, {blobs} blobs.");
    }

    /// <summary>The import again in a fresh app with the clock recording throughout, and the background indexer out (its queries would mix in).</summary>
    static async Task<ImportProfile> ProfileAsync(Corpus corpus, byte[] manifest)
    {
        var clock = new StageClock();
        await using var app = new BenchApp(kestrel: false, clock, searchIndexer: false);
        _ = app.Services;
        IngestBench.Settle();
        clock.Recording = true;
        var (dryRun, _) = await ImportAsync(app, manifest, corpus.Folder, new ImportOptions(DryRun: true), corpus.Files.Count, progress: null, builds: null, RowOutcome.Create);
        clock.Recording = false;
        var (planQueries, planReads) = (clock.ReadCommands, clock.DbRead);
        IngestBench.Settle();
        clock.Reset();
        clock.Recording = true;
        var (import, _) = await ImportAsync(app, manifest, corpus.Folder, new ImportOptions(), corpus.Files.Count, progress: null, builds: null, RowOutcome.Created);
        clock.Recording = false;
        await VerifyAsync(app, corpus.Files.Count);
        Console.WriteLine($"  instrumented import {import.TotalSeconds:0.00} s (dry run {dryRun.TotalSeconds:0.00} s)");
        return new ImportProfile(import, dryRun, planQueries, planReads, clock);
    }

    /// <summary>
    /// Counts the agreement documents the background indexer builds with text: each such build reads the file texts of one agreement
    /// (AgreementSearchDocument.BuildAsync), and during an import nothing else reads them but the importer itself, on its
    /// own context (the upload's duplicate check), which is left out.
    /// </summary>
    sealed class IndexBuildCounter : DbCommandInterceptor
    {
        int _count;
        public bool Counting { get; set; }
        public DbContext? Importer { get; set; }
        public int Count => _count;

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            if (Counting && eventData.Context != Importer && command.CommandText.Contains("FROM \"FileText\"", StringComparison.Ordinal))
                Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }
    }

    /// <summary>Called synchronously by the importer after each applied row (IProgress, not Progress, which posts to the thread pool).</summary>
    sealed class RowClock : IProgress<(int Done, int Total)>
    {
        readonly List<long> _done = [];
        long _start;
        public TimeSpan ToFirstRow => _done.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_start, _done[0]);
        public void Begin() => _start = Stopwatch.GetTimestamp();
        public void Report((int Done, int Total) value) => _done.Add(Stopwatch.GetTimestamp());
        /// <summary>Milliseconds between one applied row and the next: the apply time of every row but the first.</summary>
        public List<double> Intervals() => _done.Zip(_done.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds).ToList();
    }

    // ---------------------------------------------------------------- the manifest

    /// <summary>
    /// How the documents name partners that the registry spells out in full. An officer writing a manifest would use the
    /// registry's names; the import refuses what it cannot match (with suggestions), so the benchmark writes them as it knows them.
    /// </summary>
    static readonly Dictionary<string, string> RegistryNames = new()
    {
        ["London Ambulance Service"] = "London Ambulance Service NHS Trust",
        ["NHS North Central London ICB"] = "NHS North Central London Integrated Care Board",
    };

    /// <summary>Subjects and themes by the scenario a document's title starts with.</summary>
    static readonly (string Scenario, string Subjects, string Themes, string Items)[] Scenarios =
    [
        ("Home fire safety visit referrals", "Residents; Adults with care needs", "Fire safety; Safeguarding adults", "name, address, telephone number, risk factors"),
        ("Multi-agency safeguarding hub information sharing", "Children and young people; Families", "Safeguarding children; Supporting families", "name, date of birth, address, concern"),
        ("Hoarding and self-neglect panel", "Adults with care needs; Tenants", "Hoarding; Safeguarding adults; Fire safety", "name, address, clutter image rating"),
        ("Multi-agency risk assessment conference", "Victims; Offenders; Families", "Domestic abuse; Community safety", "name, address, risk assessment, safety plan"),
        ("Anti-social behaviour case management", "Residents; Tenants; Offenders", "Anti-social behaviour; Community safety; Housing", "name, address, incident details"),
        ("Duty to refer people at risk of homelessness", "Patients; Residents", "Homelessness; Housing", "name, contact details, discharge date"),
        ("Falls response and prevention", "Patients; Adults with care needs", "Health and care integration; Safeguarding adults", "name, address, date of the fall"),
    ];

    static readonly string[] Benefits =
    [
        "Fewer fires, injuries and deaths in the home.", "Children are protected sooner, and families get help earlier.",
        "Fewer evictions and fewer emergency admissions.", "Victims are safer and repeat incidents fall.", "People leave hospital to a settled home.",
    ];

    /// <summary>
    /// One complete row per document (so each is published on import): its reference, title, lead borough, parties and
    /// powers as the document states them; type, subjects, themes, sensitivity, basis, dates (ISO on even rows, UK
    /// day/month/year on odd ones), visibility and a contact mailbox filled in as an officer would. UTF-8 with a BOM, as Excel saves "CSV UTF-8".
    /// With a registry, the partners follow the lead in the registry's order (by id), which is the order the app gives
    /// them back; without, in the order the document lists them.
    /// </summary>
    static byte[] Manifest(IReadOnlyList<BenchFile> files, IReadOnlyDictionary<string, int>? registry)
    {
        string[] columns = ["title", "lead_organisation", "files", "local_reference", "agreement_type", "status", "purpose", "benefits", "parties", "data_flows",
            "data_subjects", "sensitivity", "lawful_basis", "special_category_condition", "legal_powers", "geography", "themes", "dpia", "start_date",
            "review_date", "version", "visibility", "contact_email"];
        if (columns.Except(ManifestColumns.All.Select(c => c.Name)).FirstOrDefault() is { } unknown)
            throw new InvalidOperationException($"The app's manifest no longer has a column {unknown}; update ImportBench.");
        var sb = new StringBuilder().AppendJoin(',', columns).Append("\r\n");
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            var facts = file.Facts;
            string Name(string written) => RegistryNames.GetValueOrDefault(written, written);
            var scenario = Scenarios.SingleOrDefault(s => facts.Title.StartsWith(s.Scenario + ":", StringComparison.Ordinal));
            if (scenario.Scenario is null) throw new InvalidOperationException($"No manifest details for \"{facts.Title}\"; update ImportBench.Scenarios.");
            var lead = Name(facts.Parties[0].Name);
            var parties = facts.Parties.Take(1).Concat(facts.Parties.Skip(1).OrderBy(p => registry?[Name(p.Name)] ?? 0)).ToList();
            var special = i % 2 == 0;
            var start = new DateOnly(2021, 4, 1).AddDays(i * 3 % 1400);
            string Date(DateOnly d) => i % 2 == 0 ? d.ToString("yyyy-MM-dd") : d.ToString("dd/MM/yyyy");
            string[] cells =
            [
                facts.Title, lead, Path.GetFileName(file.Path), facts.Reference, "Information sharing", "Active", facts.Purpose, Benefits[i % Benefits.Length],
                string.Join("; ", parties.Select(p => $"{Name(p.Name)} ({p.Role})")),
                string.Join("; ", facts.Parties.Skip(1).Take(2).Select(p => $"{lead} > {Name(p.Name)}: {scenario.Items} (weekly)")),
                scenario.Subjects, special ? "Personal; Special category" : "Personal", "Public task",
                special ? "Art 9(2)(g) substantial public interest, DPA 2018 Sch 1 para 18 (safeguarding)" : "",
                string.Join("; ", facts.Powers), facts.Borough, scenario.Themes, "Done", Date(start), Date(start.AddYears(2)), "1.0",
                i % 5 == 4 ? "Partners" : "Public", $"information.governance@{facts.Borough.ToLowerInvariant()}.gov.uk",
            ];
            sb.AppendJoin(',', cells.Select(Csv.Cell)).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    // ---------------------------------------------------------------- the report

    static string Render(ImportBenchOptions options, MachineInfo machine, string loadAtEnd, DateTimeOffset started, Corpus corpus, TimeSpan generation,
        long manifestBytes, List<TimeSpan> raws, List<ImportPass> passes, ImportProfile? profile)
    {
        var n = corpus.Files.Count;
        var pages = corpus.TotalPages;
        var mb = Units.MB(corpus.TotalBytes);
        double Median(IEnumerable<TimeSpan> values) => Stats.Median(values.Select(v => v.TotalSeconds));
        var raw = Median(raws);
        var import = Median(passes.Select(p => p.Import));
        var dry = Median(passes.Select(p => p.DryRun));
        var rerun = Median(passes.Select(p => p.Rerun));
        var toFirst = Median(passes.Select(p => p.ToFirstRow));
        var off = Median(passes.Select(p => p.ImportIndexerOff));
        var builds = Stats.Median(passes.Select(p => (double)p.IndexBuilds));
        var rerunDocumentOrder = Median(passes.Select(p => p.RerunDocumentOrder));
        var updated = Stats.Median(passes.Select(p => (double)p.RerunDocumentOrderUpdated));
        var rows = passes.SelectMany(p => p.RowMs).Order().ToArray();
        var met = import < 60;
        static string Runs(IEnumerable<TimeSpan> values) => string.Join(" / ", values.Select(v => v.TotalSeconds.ToString("0.00")));

        var sb = new StringBuilder();
        sb.AppendLine("## Import (issue 5)");
        sb.AppendLine();
        sb.AppendLine($"Written by the import benchmark on {started:yyyy-MM-dd HH:mm zzz}{ResultsFile.Commit()}. Re-run with:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(options.Command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine($"Machine: {machine.Cores} cores ({machine.Cpu}), {machine.Memory} RAM, {machine.Runtime} on {machine.Os}, {machine.Gc} GC, " +
                      $"{(machine.Optimized ? "Release build" : "**not a Release build**")}; storage {machine.TempStorage}; process nice {MachineInfo.ReadNice()}. " +
                      $"**Load average (1 min) at the start and end of the run: {machine.LoadAverage} / {loadAtEnd}** (anything well above 0 means other work shared the cores).");
        sb.AppendLine();
        sb.AppendLine($"Documents: the ingest benchmark's corpus at {n} (seed {Corpus.Seed}): {corpus.Files.Count(f => f.Format == FileFormat.Pdf)} PDF + " +
                      $"{corpus.Files.Count(f => f.Format == FileFormat.Docx)} DOCX, {mb:0.0} MB, {pages:N0} pages ({corpus.PdfPages:N0} PDF pages measured + " +
                      $"{corpus.DocxEstimatedPages:N0} DOCX pages estimated as the same content written as PDF), {Corpus.MinPages}–{Corpus.MaxPages} pages asked of each, " +
                      $"generated in {generation.TotalSeconds:0} s. Manifest: `{ManifestName}` beside them, {n} rows, {manifestBytes / 1024.0:0} KB, one document per agreement, " +
                      "every row complete (type, purpose, parties with roles, flows, subjects, sensitivity, lawful basis, powers, borough, themes, DPIA, dates, visibility, mailbox) so each agreement is published as it is imported.");
        sb.AppendLine();
        sb.AppendLine($"| Path ({n} agreements, {mb:0.0} MB, {pages:N0} pages), median of {passes.Count} | Median s | Docs/s | Pages/s | MB/s | × raw | Runs (s) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        void Row(string label, double s, IEnumerable<TimeSpan> runs) =>
            sb.AppendLine($"| {label} | {s:0.00} | {n / s:0.0} | {pages / s:0} | {mb / s:0.00} | {s / raw:0.00} | {Runs(runs)} |");
        Row("Raw extraction (detect + extract, one file after another)", raw, raws);
        Row("**Import**: `Importer.RunAsync`, check and plan every row, then apply each (record, file, publish) in its own transaction", import, passes.Select(p => p.Import));
        Row("· of which checking and planning alone (`--dry-run`, timed separately)", dry, passes.Select(p => p.DryRun));
        Row("Import with the app's background search indexer taken out (what indexing beside it costs)", off, passes.Select(p => p.ImportIndexerOff));
        Row("Re-run of the same manifest (every row Unchanged, nothing written)", rerun, passes.Select(p => p.Rerun));
        Row($"Re-run with each row's partners in the order its document lists them ({updated:0} of {n} rows re-applied as Updated)", rerunDocumentOrder, passes.Select(p => p.RerunDocumentOrder));
        sb.AppendLine();
        sb.AppendLine($"**Target under 60 s for {n}: {(n != 1000 ? "not applicable (the target is for 1,000)" : met ? $"met, {import:0.0} s" : $"missed, {import:0.0} s")}.** " +
                      $"Import ÷ raw extraction: **{import / raw:0.00}x** (paired by repetition: {string.Join(", ", passes.Zip(raws, (p, r) => (p.Import / r).ToString("0.00")))}). " +
                      $"Re-run: **{rerun:0.00} s** ({n / rerun:0} rows/s). Without the background indexer the same import took {off:0.0} s ({off / raw:0.00}x raw; paired import ÷ indexer off: " +
                      $"{string.Join(", ", passes.Select(p => (p.Import / p.ImportIndexerOff).ToString("0.00")))}).");
        sb.AppendLine();
        sb.AppendLine($"- Inside the import, the time to the first applied row (checking and planning every row, then the first row) was {toFirst:0.00} s (median); " +
                      $"after it, each row took {Stats.Percentile(rows, 0.5):0.0} ms at the median, {Stats.Percentile(rows, 0.95):0.0} ms at the 95th percentile, " +
                      $"{rows[^1]:0.0} ms at most ({rows.Length:N0} rows over all repetitions; the time between one row's progress report and the next).");
        sb.AppendLine($"- Search index (the app's background indexer, on as in production): when the import returned it had applied " +
                      string.Join("; ", passes.Select(p => $"{p.IndexedAtEnd:N0} of {p.OutboxAtEnd:N0} outbox entries ({(p.IndexedAtEnd >= p.OutboxAtEnd ? "caught up" : $"{p.OutboxAtEnd - p.IndexedAtEnd:N0} behind, caught up {p.IndexCatchUp.TotalSeconds:0.0} s later")})")) +
                      $". The indexer runs on the same 2 cores during the import, so its work is inside the import's time. The import wrote {passes[0].OutboxAtEnd / (double)n:0.0} outbox entries per agreement " +
                      "(one per SaveChanges that touches it: record, import key, file, publication); the indexer, woken by each save, rebuilds an agreement's document (record and text) once per batch of entries it picks up: " +
                      $"during the import it built {builds:N0} documents that read file text (median), **{builds / n:0.0} per agreement**, each analysing the agreement's whole extracted text.");
        sb.AppendLine($"- Checked after each import: {n} agreements, all {Stats.Median(passes.Select(p => (double)p.Published)):0} published, {n} files, {n} versions, {n} text rows and {n} blobs; " +
                      "the re-run reported every row Unchanged and wrote no outbox entry.");
        if (updated > 0)
            sb.AppendLine($"- **Re-running is not idempotent when a row lists its partners in another order than the register gives them back** (app issue, not fixed here): " +
                          $"with the partners in each document's own order, {updated:0} of {n} rows came back Updated on every re-run (rewritten, audited, re-indexed) although nothing changed. " +
                          "`Importer.PlanAsync` compares the row with the held record as one JSON string (`Canonical`), order included, and the parties it loads come back in organisation order, not as entered. " +
                          "The timed manifest therefore lists the partners after the lead in registry order (what the app returns), so its re-run is the idempotent one.");
        if (passes[0].Warnings > 0)
            sb.AppendLine($"- The check warned on {passes[0].Warnings:N0} of {n} rows \"Imported as a draft until it is complete: Upload the agreement document\", yet every row names its document and every agreement was published " +
                          "(app issue, not fixed here): `Importer.PlanAsync` runs `AgreementEditor.CheckPublishable` on a scratch record that has no files yet.");
        if (profile is not null)
        {
            var c = profile.Clock;
            double Per(TimeSpan t) => t.TotalMilliseconds / n;
            var apply = profile.Import - profile.DryRun;
            var applyReads = c.DbRead - profile.PlanReads;
            sb.AppendLine();
            sb.AppendLine($"Where the time goes: one further import with the clock on and the search indexer off (its queries would mix in), {profile.Import.TotalSeconds:0.00} s " +
                          $"(dry run {profile.DryRun.TotalSeconds:0.00} s). Milliseconds per row:");
            sb.AppendLine();
            sb.AppendLine("| ms per agreement | |");
            sb.AppendLine("|---|---:|");
            sb.AppendLine($"| Whole import, indexer off | {Per(profile.Import):0.0} |");
            sb.AppendLine($"| Whole import, indexer on (median above) | {import * 1000 / n:0.0} |");
            sb.AppendLine($"| Raw detect + extract (median above) | {raw * 1000 / n:0.0} |");
            sb.AppendLine($"| Check and plan (dry run), indexer off; of which {profile.PlanQueries / (double)n:0.0} queries per row, {Per(profile.PlanReads):0.00} ms | {Per(profile.DryRun):0.0} |");
            sb.AppendLine($"| Apply (import − dry run), indexer off | {Per(apply):0.0} |");
            sb.AppendLine($"| · database reads: {(c.ReadCommands - profile.PlanQueries) / (double)n:0.0} queries per row outside SaveChanges | {Per(applyReads):0.0} |");
            sb.AppendLine($"| · SaveChanges: {c.Saves / (double)n:0.0} per row, {c.SaveCommands / (double)n:0.0} commands per row | {Per(c.DbSave):0.0} |");
            sb.AppendLine($"| · SQLite COMMIT (one transaction per row) | {Per(c.DbCommit):0.0} |");
            sb.AppendLine($"| · blob stage (copy to a tmp file while hashing) | {Per(c.BlobStage):0.0} |");
            sb.AppendLine($"| · blob commit (rename) | {Per(c.BlobCommit):0.0} |");
            sb.AppendLine($"| · *blob fsync, overlapping extraction (not additive)* | *{Per(c.BlobFlush):0.0}* |");
            sb.AppendLine($"| · the rest: extraction inside FileUploader, hashing the file before upload, EF change tracking, the importer's own work | {Per(apply - applyReads - c.DbSave - c.BlobStage - c.BlobCommit):0.0} |");
        }
        sb.AppendLine();
        sb.AppendLine("Method: each repetition runs raw extraction, the import, and the import again in a fresh app without the background indexer (odd repetitions in that order, even ones in reverse). Raw extraction is `FileTypeDetector.Detect` + `TextExtractor.ExtractAsync` of every file, as in the ingest benchmark. " +
                      "The import runs in a fresh app (`WebApplicationFactory<Program>`, empty SQLite file, blob folder and search index, demo data off, OCR off): `Importer` resolved from a DI scope and run as " +
                      "`Viewer.Process(\"bench\")` with the manifest's bytes and the folder, exactly as `concordat import --manifest manifest.csv` does; first a dry run, then the import, then the same manifest again. " +
                      $"Before the first repetition the raw path warms up on {corpus.WarmUp.Count} extra documents and a throwaway app imports them; the heap is collected before each timed step. " +
                      "The dry run plans against the empty register as the import's own check does, so the import's apply phase is about import − dry run.");
        return sb.ToString();
    }
}
