using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Search;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Concordat.Bench;

// Scale benchmark (the issue's "1,000,000 agreements on PostgreSQL with two nodes" and "the same query mix at 100,000 on
// SQLite and PostgreSQL side by side"): N agreement records with a short text each, sampled from the search corpus, loaded
// through the app's own ConcordatDb (its outbox interceptor writes the search outbox as a real save does); then K nodes,
// each the built app (concordat.dll) as a process of its own with its own Lucene index folder over the one database, each
// indexing the whole outbox itself. Measured: load rate, each node's indexing rate, the search query mix over HTTP on each
// node, the outbox lag (a write on one node until a search on each node finds it) under a steady write load, and each
// node process's memory. Writes its section of bench/SCALE-RESULTS.md (one section per database, size and node count).
//
//   dotnet run -c Release --project bench/Concordat.Bench -- scale --agreements 10000 --nodes 1
//   CONCORDAT_BENCH_DATABASE=postgres dotnet run -c Release --project bench/Concordat.Bench -- scale --agreements 10000 --nodes 2
//
// Options: --agreements N (default 10000), --nodes K (default 1 on SQLite, 2 on PostgreSQL; more than 1 only on
// PostgreSQL), --reps R (timed rounds of the query mix per node, default 10), --warmup N (default 2), --write-seconds S
// (the write load's length, default 60; 0 skips it), --writes-per-second W (default 5), --results PATH (default
// bench/SCALE-RESULTS.md), --no-write.

sealed record ScaleOptions(int Agreements, int Nodes, int Reps, int WarmUp, int WriteSeconds, double WritesPerSecond, bool Write, string? ResultsPath, string[] Args)
{
    public static ScaleOptions Parse(string[] args)
    {
        int agreements = 10_000, reps = 10, warmUp = 2, writeSeconds = 60;
        int? nodes = null;
        var writesPerSecond = 5.0;
        var write = true;
        string? results = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--agreements":
                    agreements = int.TryParse(Value(), out var n) && n is >= 100 and <= 2_000_000 ? n : throw new ArgumentException("--agreements must be 100 to 2000000");
                    break;
                case "--nodes": nodes = int.TryParse(Value(), out var k) && k is >= 1 and <= 4 ? k : throw new ArgumentException("--nodes must be 1 to 4"); break;
                case "--reps": reps = int.TryParse(Value(), out var r) && r >= 1 ? r : throw new ArgumentException("--reps must be at least 1"); break;
                case "--warmup": warmUp = int.TryParse(Value(), out var w) && w >= 0 ? w : throw new ArgumentException("--warmup must be 0 or more"); break;
                case "--write-seconds":
                    writeSeconds = int.TryParse(Value(), out var s) && s is >= 0 and <= 3600 ? s : throw new ArgumentException("--write-seconds must be 0 to 3600");
                    break;
                case "--writes-per-second":
                    writesPerSecond = double.TryParse(Value(), System.Globalization.CultureInfo.InvariantCulture, out var wps) && wps is > 0 and <= 200
                        ? wps : throw new ArgumentException("--writes-per-second must be more than 0 and at most 200");
                    break;
                case "--no-write": write = false; break;
                case "--results": results = Path.GetFullPath(Value()); break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }
        }
        var k2 = nodes ?? (BenchApp.OnPostgres ? 2 : 1);
        if (k2 > 1 && !BenchApp.OnPostgres)
            throw new ArgumentException($"--nodes {k2} needs PostgreSQL (CONCORDAT_BENCH_DATABASE=postgres): on SQLite the app runs as one node.");
        return new ScaleOptions(agreements, k2, reps, warmUp, writeSeconds, writesPerSecond, write, results, args);
    }

    public string Database => BenchApp.OnPostgres ? "PostgreSQL" : "SQLite";

    public string Command => (BenchApp.OnPostgres ? "CONCORDAT_BENCH_DATABASE=postgres " : "") + "dotnet run -c Release --project bench/Concordat.Bench -- scale " +
                             string.Join(' ', (Args.Contains("--agreements") ? Args : new[] { "--agreements", Agreements.ToString() }.Concat(Args))
                                 .Concat(Args.Contains("--nodes") ? [] : ["--nodes", Nodes.ToString()]));
}

/// <summary>One node of the run: the built app as a process of its own, its port, its index folder and what was measured on it.</summary>
sealed class ScaleNode(int number, string root)
{
    public int Number { get; } = number;
    public string Name => $"node {Number}";
    public string Folder { get; } = Path.Combine(root, $"node{number}");
    public string IndexFolder => Path.Combine(Folder, "search");
    public string LogPath => Path.Combine(Folder, "node.log");
    public int Port { get; set; }
    public Process? Process { get; set; }
    public HttpClient? Client { get; set; }
    public StreamWriter? Log { get; set; }

    // Indexing
    public TimeSpan Started { get; set; }
    public TimeSpan? FirstAnswer { get; set; }
    public long BehindAtFirstAnswer { get; set; } = -1;
    public TimeSpan? CaughtUp { get; set; }
    public long Behind { get; set; } = -1;
    public long IndexBytes { get; set; }
    public int RareHits { get; set; } = -1;

    // Query mix: per query name, milliseconds; hits from the first call
    public Dictionary<string, List<double>> Ms { get; } = [];
    public Dictionary<string, int> Hits { get; } = [];

    // Outbox lag: ms from a write's answer to the first search on this node that finds it; null = not found in time
    public List<double?> Lags { get; } = [];

    // Memory (bytes)
    public long RssAfterIndexing { get; set; } = -1;
    public long RssAfterQueries { get; set; } = -1;
    public long RssAfterWrites { get; set; } = -1;
    public long PeakRss { get; set; } = -1;
    /// <summary>The managed heap as the node's last collection left it (the runtime's meter on /metrics), after the query mix and after the writes.</summary>
    public long HeapAfterQueries { get; set; } = -1;
    public long HeapAfterWrites { get; set; } = -1;

    public TimeSpan? IndexTime => CaughtUp is { } done ? done - Started : null;
}

sealed record ScaleQuery(string Kind, string Text, IReadOnlyList<(string Facet, string Value)> Filters)
{
    public string Name => Filters.Count == 0 ? Kind : $"{Kind} + {Filters.Count} facet{(Filters.Count > 1 ? "s" : "")}";
}

sealed class ScaleRun
{
    public required ScaleOptions Options { get; init; }
    public required MachineInfo Machine { get; init; }
    public required DateTimeOffset Started { get; init; }
    public string ServerVersion { get; set; } = "";
    public int Loaded { get; set; }
    public long TextBytes { get; set; }
    public long TextChars { get; set; }
    public int RareExpected { get; set; }
    public TimeSpan PoolBuild { get; set; }
    public TimeSpan Load { get; set; }
    public TimeSpan LoadGenerate { get; set; }
    public TimeSpan LoadSave { get; set; }
    public long OutboxRows { get; set; }
    public long DatabaseBytes { get; set; }
    public long DatabaseBytesAtEnd { get; set; }
    public List<ScaleNode> Nodes { get; } = [];
    public List<ScaleQuery> Mix { get; } = [];
    public TimeSpan IndexWall { get; set; }
    // Write load
    public int WritesAttempted { get; set; }
    public int Creates { get; set; }
    public int Updates { get; set; }
    public int WriteFailures { get; set; }
    public string? FirstWriteFailure { get; set; }
    public List<double> WriteMs { get; } = [];
    public TimeSpan WriteWall { get; set; }
    public string Status { get; set; } = "complete";

    public double LoadRate => Loaded / Load.TotalSeconds;
}

/// <summary>
/// A short text per agreement, sampled from the search corpus: a pool of generated agreements' first-file texts (their
/// first ~20,000 characters, which run through every section of the clause pools once) split into paragraphs; each
/// agreement gets its own heading (its title, reference and purpose) and paragraphs picked at random from one pool text
/// until about <see cref="TargetChars"/> characters. The pool holds a multiple of <see cref="SearchCorpus.RareEvery"/>
/// texts and agreement i samples pool text i mod pool, so the agreements whose pool text carries the rare word are exactly
/// SearchCorpus's (i mod 1000 = 7); those always include the rare word's paragraph, keeping its rate at 1 in 1000.
/// </summary>
sealed class SampledText
{
    public const int PoolSize = 2_000, PoolCharsPerText = 20_000, TargetChars = 2_400;
    readonly string[][] _paragraphs;

    SampledText(string[][] paragraphs) => _paragraphs = paragraphs;

    public static SampledText Build(IReadOnlyList<Organisation> organisations)
    {
        var corpus = new SearchCorpus(organisations);
        var pool = new string[PoolSize][];
        for (var i = 0; i < PoolSize; i++)
        {
            var text = corpus.Next(i).FileTexts[0];
            if (text.Length > PoolCharsPerText) text = text[..text.LastIndexOf('\n', PoolCharsPerText)];
            // Only the numbered clause paragraphs ("3.1 ..."): not the pool agreement's own heading, parties, purpose or section headings.
            pool[i] = text.Split('\n').Where(l => l.Length > 40 && char.IsDigit(l[0]) && l.IndexOf(' ') is > 2 and var sp && l[..sp].Contains('.') && !l[..sp].EndsWith('.')).ToArray();
            if (pool[i].Length == 0) throw new InvalidOperationException($"Pool text {i} has no paragraphs.");
        }
        var rare = Enumerable.Range(0, PoolSize).Count(i => pool[i].Any(p => p.Contains(SearchCorpus.RareWord, StringComparison.Ordinal)));
        if (rare != PoolSize / SearchCorpus.RareEvery) throw new InvalidOperationException($"Expected the rare word in {PoolSize / SearchCorpus.RareEvery} pool texts, found it in {rare}.");
        return new SampledText(pool);
    }

    public static bool IsRare(int index) => index % SearchCorpus.RareEvery == 7;

    public string For(int index, Agreement a)
    {
        var paragraphs = _paragraphs[index % PoolSize];
        var r = new Random(unchecked(index * 7919 + 104_729));
        var sb = new StringBuilder(TargetChars + 1_000);
        sb.Append("Information sharing agreement: ").Append(a.Title).Append(" (").Append(a.Reference).Append(")\n\n").Append(a.Purpose).Append("\n\n");
        var order = Enumerable.Range(0, paragraphs.Length).ToArray();
        r.Shuffle(order);
        var picked = new List<int>();
        if (IsRare(index)) picked.Add(Array.FindIndex(paragraphs, p => p.Contains(SearchCorpus.RareWord, StringComparison.Ordinal)));
        var length = sb.Length + picked.Sum(i => paragraphs[i].Length + 1);
        foreach (var i in order)
        {
            if (length >= TargetChars) break;
            if (picked.Contains(i)) continue;
            picked.Add(i);
            length += paragraphs[i].Length + 1;
        }
        picked.Sort();
        foreach (var i in picked) sb.Append(paragraphs[i]).Append('\n');
        return sb.ToString();
    }
}

/// <summary>
/// The app in-process over the run's database, only to migrate it, seed it (organisations, the administrator), load the
/// agreements through its own ConcordatDb and issue the administrator's API token; its background search indexer is taken
/// out. Disposing it stops it and leaves the database and folders alone (the run drops them at the end).
/// </summary>
sealed class ScaleLoader(string connectionString, string root) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Benchmark");
        if (BenchApp.OnPostgres) builder.UseSetting("Concordat:Database:Provider", "postgres");
        builder.UseSetting("ConnectionStrings:Concordat", connectionString);
        builder.UseSetting("Concordat:Database:MigrateOnStart", "true");
        builder.UseSetting("Concordat:Documents:BlobRoot", Path.Combine(root, "blobs"));
        builder.UseSetting("Concordat:Search:IndexFolder", Path.Combine(root, "loader-search"));
        builder.UseSetting("Concordat:Mail:PickupFolder", Path.Combine(root, "loader-mail"));
        builder.UseSetting("Concordat:Import:StagingFolder", Path.Combine(root, "imports"));
        builder.UseSetting("Concordat:Documents:OcrEnabled", "false");
        builder.UseSetting("Concordat:Admin:Email", BenchApp.AdminEmail);
        builder.UseSetting("Concordat:Admin:Password", BenchApp.AdminPassword);
        builder.UseSetting("Concordat:DemoData", "false");
        builder.UseSetting("Concordat:PublicUrl", "http://localhost");
        builder.UseSetting("AllowedHosts", "localhost;127.0.0.1");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
        // Migrating a new database, EF logs its first look for the migrations history table (not there yet) as a failed command
        // on PostgreSQL, and warns of a SQLite migration's PRAGMA outside a transaction: noise for a fresh benchmark database.
        if (BenchApp.OnPostgres) builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Critical");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations", "Error");
        builder.ConfigureTestServices(services =>
        {
            var indexer = services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "SearchIndexer").ToList();
            if (indexer.Count == 0) throw new InvalidOperationException("The app no longer registers a SearchIndexer hosted service; update ScaleLoader.");
            foreach (var d in indexer) services.Remove(d);
        });
    }
}

static class ScaleBench
{
    const int LoadBatch = 1_000, PageSize = 20;
    static readonly TimeSpan LagLimit = TimeSpan.FromSeconds(30), LagPoll = TimeSpan.FromMilliseconds(50);
    static readonly Regex BehindPattern = new(@"(\d+) outbox entries behind", RegexOptions.Compiled);

    // The nodes this process started: stopped on every way out, Ctrl+C included.
    static readonly List<Process> Started = [];


    public static async Task<int> RunAsync(string[] args)
    {
        ScaleOptions options;
        try { options = ScaleOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Concordat.Bench -- scale [--agreements N] [--nodes K] [--reps R] [--warmup N] " +
                                    "[--write-seconds S] [--writes-per-second W] [--results PATH] [--no-write]");
            return 2;
        }
        var resultsPath = options.Write ? options.ResultsPath ?? Path.Combine(Path.GetDirectoryName(ResultsFile.DefaultPath())!, "SCALE-RESULTS.md") : null;
        var appDll = FindAppDll();
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);

        var run = new ScaleRun
        {
            Options = options, Started = DateTimeOffset.Now,
            Machine = MachineInfo.Announce($"Concordat scale benchmark: {options.Agreements:N0} agreements on {options.Database}, {options.Nodes} node(s), " +
                                           $"{options.Reps} timed rounds of the query mix per node, write load {options.WriteSeconds} s at {options.WritesPerSecond:0.##}/s"),
        };
        Console.WriteLine($"App: {appDll}");

        using var cancel = new CancellationTokenSource();
        // Ctrl+C or a kill: the nodes are stopped at once, then the run unwinds through the finally block below (database
        // dropped, folders deleted) instead of the process ending where it stands.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (cancel.IsCancellationRequested) return;
            Console.Error.WriteLine($"{context.Signal}: stopping the nodes and cleaning up...");
            cancel.Cancel(); // first, so that a node seen stopping is taken for the interruption, not a failure
            StopAll();
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

        var root = Directory.CreateTempSubdirectory("concordat-scale-").FullName;
        var postgresName = $"concordat_scale_{Guid.NewGuid():N}";
        var connectionString = BenchApp.OnPostgres ? BenchApp.Postgres(postgresName) : $"Data Source={Path.Combine(root, "concordat.db")}";
        if (BenchApp.OnPostgres)
        {
            BenchApp.OnServer($"CREATE DATABASE {postgresName}");
            run.ServerVersion = "PostgreSQL " + Scalar(BenchApp.Postgres(postgresName), "SHOW server_version");
        }
        else run.ServerVersion = "SQLite " + SqliteVersion();
        Console.WriteLine($"Database: {run.ServerVersion}; working folder {root}");

        var total = Stopwatch.StartNew();
        try
        {
            var ct = cancel.Token;
            var (token, writeTargets) = await LoadAsync(run, connectionString, root, ct);
            run.DatabaseBytes = DatabaseBytes(connectionString, root);
            Console.WriteLine($"Database size after the load: {Units.MB(run.DatabaseBytes):N0} MB");

            for (var i = 1; i <= options.Nodes; i++) run.Nodes.Add(new ScaleNode(i, root));
            await StartAndIndexAsync(run, appDll, connectionString, root, token, ct);
            foreach (var node in run.Nodes) node.RssAfterIndexing = Rss(node, "VmRSS:");

            BuildMix(run);
            await QueryMixAsync(run, ct);
            foreach (var node in run.Nodes) (node.RssAfterQueries, node.HeapAfterQueries) = (Rss(node, "VmRSS:"), await HeapAsync(node, ct));

            if (options.WriteSeconds > 0)
            {
                await WriteLoadAsync(run, writeTargets, ct);
                foreach (var node in run.Nodes) (node.RssAfterWrites, node.HeapAfterWrites) = (Rss(node, "VmRSS:"), await HeapAsync(node, ct));
            }
            foreach (var node in run.Nodes)
            {
                node.PeakRss = Rss(node, "VmHWM:");
                node.IndexBytes = FolderBytes(node.IndexFolder);
            }
            run.DatabaseBytesAtEnd = DatabaseBytes(connectionString, root);
        }
        catch (Exception) when (cancel.IsCancellationRequested) // cancelled, or a request to a node just stopped
        {
            Console.Error.WriteLine("Interrupted; no results written.");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"The scale benchmark failed: {e.GetType().Name}: {e.Message}");
            foreach (var node in run.Nodes.Where(n => File.Exists(n.LogPath)))
            {
                node.Log?.Flush();
                var tail = File.ReadLines(node.LogPath).TakeLast(20).ToList();
                if (tail.Count > 0) Console.Error.WriteLine($"--- last lines of {node.Name}'s log ---\n{string.Join('\n', tail)}");
            }
            Console.Error.WriteLine(e.StackTrace);
            return 1;
        }
        finally
        {
            StopAll();
            foreach (var node in run.Nodes)
            {
                node.Client?.Dispose();
                node.Log?.Dispose();
            }
            SqliteConnection.ClearAllPools();
            if (BenchApp.OnPostgres)
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                try { BenchApp.OnServer($"DROP DATABASE IF EXISTS {postgresName} WITH (FORCE)"); }
                catch (Exception e) { Console.Error.WriteLine($"Could not drop the database {postgresName}: {e.Message}"); }
            }
            Corpus.TryDelete(root);
        }

        Console.WriteLine($"Whole run: {total.Elapsed.TotalMinutes:0.0} min");
        var report = Render(run);
        Console.WriteLine();
        Console.WriteLine(report);
        if (resultsPath is not null)
        {
            var section = $"scale-{(BenchApp.OnPostgres ? "postgres" : "sqlite")}-{options.Agreements}-{options.Nodes}node";
            await ResultsFile.WriteSectionAsync(resultsPath, section, report);
            Console.WriteLine($"Wrote the {section} section of {resultsPath}");
        }
        return 0;
    }

    // ---------------------------------------------------------------- load

    /// <summary>Migrates, seeds and loads through the app in-process, and makes the administrator's token; returns it and what the write load needs.</summary>
    static async Task<(string Token, WriteTargets Targets)> LoadAsync(ScaleRun run, string connectionString, string root, CancellationToken ct)
    {
        await using var loader = new ScaleLoader(connectionString, root);
        List<Organisation> organisations;
        await using (var scope = loader.Services.CreateAsyncScope()) // starts the app: migrated, organisations and administrator seeded
            organisations = await scope.ServiceProvider.GetRequiredService<ConcordatDb>().Organisations.AsNoTracking().OrderBy(o => o.Id).ToListAsync(ct);

        var clock = Stopwatch.StartNew();
        var texts = SampledText.Build(organisations);
        run.PoolBuild = clock.Elapsed;
        Console.WriteLine($"Text pool: {SampledText.PoolSize:N0} generated agreement texts (first {SampledText.PoolCharsPerText:N0} characters each) in {run.PoolBuild.TotalSeconds:0.0} s");

        var records = new SearchCorpus(organisations, withText: false);
        var n = run.Options.Agreements;
        Console.WriteLine($"Loading {n:N0} agreements through ConcordatDb, {LoadBatch:N0} a SaveChanges (change detection off), the next batch generated while one saves...");
        var save = new Stopwatch();
        var load = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var lastLoaded = 0;

        List<(Agreement Agreement, FileText Text)> Generate(int start)
        {
            var batch = new List<(Agreement, FileText)>(LoadBatch);
            for (var i = start; i < Math.Min(start + LoadBatch, n); i++)
            {
                var a = records.Next(i).Agreement;
                var text = texts.For(i, a);
                var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
                var file = a.Files[0];
                var version = file.Versions[0];
                // One file per agreement, carrying the sampled text.
                a.Files = [file];
                version.Sha256 = sha;
                version.SizeBytes = Encoding.UTF8.GetByteCount(text);
                version.PageCount = 1;
                version.HasText = true;
                batch.Add((a, new FileText { Sha256 = sha, Text = text }));
            }
            return batch;
        }

        Task<List<(Agreement, FileText)>> Next(int start) => Task.Run(() =>
        {
            var t = Stopwatch.StartNew();
            var b = Generate(start);
            t.Stop();
            Interlocked.Add(ref _generateTicks, t.ElapsedTicks);
            return b;
        }, ct);

        _generateTicks = 0;
        var pending = Next(0);
        for (var start = 0; start < n; start += LoadBatch)
        {
            var batch = await pending;
            if (start + LoadBatch < n) pending = Next(start + LoadBatch);
            save.Start();
            await using (var scope = loader.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                foreach (var (a, text) in batch)
                {
                    db.Agreements.Add(a);
                    db.FileTexts.Add(text);
                }
                await db.SaveChangesAsync(ct); // the app's outbox interceptor adds one SearchOutbox row per agreement to this save
            }
            save.Stop();
            run.Loaded += batch.Count;
            run.TextBytes += batch.Sum(b => (long)Encoding.UTF8.GetByteCount(b.Item2.Text));
            run.TextChars += batch.Sum(b => (long)b.Item2.Text.Length);
            run.RareExpected += batch.Count(b => b.Item2.Text.Contains(SearchCorpus.RareWord, StringComparison.Ordinal));
            if (load.Elapsed - lastReport >= TimeSpan.FromSeconds(15) || run.Loaded == n)
            {
                var interval = (load.Elapsed - lastReport).TotalSeconds;
                var rate = run.Loaded / load.Elapsed.TotalSeconds;
                Console.WriteLine($"  {run.Loaded,9:N0} agreements, {Units.MB(run.TextBytes),6:N0} MB of text, {load.Elapsed.TotalSeconds,6:0} s: {rate,6:N0}/s overall, " +
                                  $"{(run.Loaded - lastLoaded) / interval,6:N0}/s lately; at this rate 100,000 take {Minutes(100_000 / rate)} and 1,000,000 {Minutes(1_000_000 / rate)}");
                (lastReport, lastLoaded) = (load.Elapsed, run.Loaded);
            }
        }
        run.Load = load.Elapsed;
        run.LoadSave = save.Elapsed;
        run.LoadGenerate = TimeSpan.FromTicks((long)(_generateTicks * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        Console.WriteLine($"Loaded {run.Loaded:N0} agreements in {run.Load.TotalSeconds:0.0} s = {run.LoadRate:N0}/s, {Units.MB(run.TextBytes) / run.Load.TotalSeconds:0.0} MB of text/s " +
                          $"(saving {run.LoadSave.TotalSeconds:0.0} s; generating {run.LoadGenerate.TotalSeconds:0.0} s, alongside); " +
                          $"projected: 100,000 in {Minutes(100_000 / run.LoadRate)}, 1,000,000 in {Minutes(1_000_000 / run.LoadRate)}");

        await using (var scope = loader.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            var agreements = await db.Agreements.CountAsync(ct);
            run.OutboxRows = await db.SearchOutbox.CountAsync(ct);
            var last = await db.SearchOutbox.MaxAsync(e => (long?)e.Id, ct) ?? 0;
            if (agreements != n || run.OutboxRows != n || last != n)
                throw new InvalidOperationException($"Expected {n} agreements and outbox rows; found {agreements} agreements, {run.OutboxRows} outbox rows (last {last}).");
            var lead = await db.Organisations.Where(o => o.Name == "London Fire Brigade").Select(o => (int?)o.Id).FirstOrDefaultAsync(ct) ?? organisations[0].Id;
            var partner = await db.Organisations.Where(o => o.Name == "London Borough of Camden").Select(o => (int?)o.Id).FirstOrDefaultAsync(ct) ?? organisations[1].Id;
            // Updates go to loaded agreements, spread over the whole register.
            var ids = await db.Agreements.OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
            var output = new StringWriter();
            var errors = new StringWriter();
            if (await Concordat.Cli.CommandLine.RunAsync(loader.Services, ["token", "create", "--email", BenchApp.AdminEmail, "--name", "scale benchmark"], output, errors) != 0)
                throw new InvalidOperationException("Could not create a token: " + errors);
            return (output.ToString().Trim(), new WriteTargets(lead, partner, ids));
        }
    }

    static long _generateTicks;

    sealed record WriteTargets(int LeadId, int PartnerId, List<int> AgreementIds);

    // ---------------------------------------------------------------- nodes and indexing

    static async Task StartAndIndexAsync(ScaleRun run, string appDll, string connectionString, string root, string token, CancellationToken ct)
    {
        Console.WriteLine();
        Console.WriteLine($"Starting {run.Nodes.Count} node process(es) (dotnet {Path.GetFileName(appDll)}, Production), each indexing the whole outbox into its own folder...");
        var clock = Stopwatch.StartNew();
        foreach (var node in run.Nodes)
        {
            Directory.CreateDirectory(node.Folder);
            node.Port = FreePort();
            var start = new ProcessStartInfo("dotnet", [appDll])
            {
                WorkingDirectory = Path.GetDirectoryName(appDll)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var (key, value) in NodeEnvironment(node, connectionString, root)) start.Environment[key] = value;
            node.Log = new StreamWriter(node.LogPath) { AutoFlush = true };
            var log = node.Log;
            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            node.Started = clock.Elapsed;
            process.Start();
            lock (Started) Started.Add(process);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            node.Process = process;
            node.Client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{node.Port}"), Timeout = TimeSpan.FromMinutes(2),
            };
            node.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Console.WriteLine($"  {node.Name}: pid {process.Id}, http://127.0.0.1:{node.Port}, index {node.IndexFolder}");
        }

        // Bounded: a node that answers nothing for 5 min, or gets no nearer for 10 min, has stalled; and 24 h in all.
        var lastPrint = TimeSpan.Zero;
        var progress = run.Nodes.ToDictionary(n => n, _ => (Behind: long.MaxValue, At: TimeSpan.Zero));
        while (run.Nodes.Any(n => n.CaughtUp is null))
        {
            ct.ThrowIfCancellationRequested();
            if (clock.Elapsed > TimeSpan.FromHours(24)) throw new TimeoutException("The nodes had not caught up with the outbox after 24 h.");
            foreach (var node in run.Nodes.Where(n => n.CaughtUp is null))
            {
                if (node.Process!.HasExited) throw new InvalidOperationException($"{node.Name} exited with {node.Process.ExitCode} while indexing (log: {node.LogPath}).");
                var behind = await BehindAsync(node, ct);
                var since = clock.Elapsed - progress[node].At;
                if (behind is null && node.FirstAnswer is null && since > TimeSpan.FromMinutes(5))
                    throw new TimeoutException($"{node.Name} has not answered /health/ready for 5 min (log: {node.LogPath}).");
                if (behind is not { } b) continue;
                if (b < progress[node].Behind) progress[node] = (b, clock.Elapsed);
                else if (since > TimeSpan.FromMinutes(10)) throw new TimeoutException($"{node.Name} has stayed {b:N0} entries behind for 10 min (log: {node.LogPath}).");
                node.Behind = b;
                if (node.FirstAnswer is null) (node.FirstAnswer, node.BehindAtFirstAnswer) = (clock.Elapsed, b);
                if (b == 0) node.CaughtUp = clock.Elapsed;
            }
            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(10))
            {
                lastPrint = clock.Elapsed;
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds,6:0} s: " + string.Join("; ", run.Nodes.Select(n =>
                    n.CaughtUp is { } t ? $"{n.Name} caught up at {t.TotalSeconds:0.0} s" : n.Behind < 0 ? $"{n.Name} not answering yet" : $"{n.Name} {n.Behind:N0} behind")));
            }
            if (run.Nodes.Any(n => n.CaughtUp is null)) await Task.Delay(200, ct);
        }
        run.IndexWall = clock.Elapsed;
        foreach (var node in run.Nodes)
        {
            node.IndexBytes = FolderBytes(node.IndexFolder);
            var seconds = node.IndexTime!.Value.TotalSeconds;
            Console.WriteLine($"  {node.Name}: {run.Loaded:N0} outbox rows applied {seconds:0.0} s after its process started = {run.Loaded / seconds:N0} agreements/s, " +
                              $"{Units.MB(run.TextBytes) / seconds:0.00} MB of text/s{SteadyRate(run, node)}; index {Units.MB(node.IndexBytes):N0} MB");
            // The rare word's hits: the index holds what was loaded.
            node.RareHits = await TotalAsync(node, SearchCorpus.RareWord, [], ct);
            if (node.RareHits != run.RareExpected)
                throw new InvalidOperationException($"{node.Name} finds '{SearchCorpus.RareWord}' in {node.RareHits} agreements; {run.RareExpected} were loaded with it.");
        }
    }

    static string SteadyRate(ScaleRun run, ScaleNode node)
    {
        if (node.FirstAnswer is not { } first || node.CaughtUp is not { } done || node.BehindAtFirstAnswer <= 0 || done - first < TimeSpan.FromSeconds(2)) return "";
        var rate = node.BehindAtFirstAnswer / (done - first).TotalSeconds;
        return $" (once serving: {rate:N0}/s over its last {node.BehindAtFirstAnswer:N0})";
    }

    static Dictionary<string, string> NodeEnvironment(ScaleNode node, string connectionString, string root) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{node.Port}",
        ["Concordat__Database__Provider"] = BenchApp.OnPostgres ? "postgres" : "sqlite",
        ["ConnectionStrings__Concordat"] = connectionString,
        ["Concordat__Search__IndexFolder"] = node.IndexFolder,
        ["Concordat__Documents__BlobRoot"] = Path.Combine(root, "blobs"),
        ["Concordat__Documents__OcrEnabled"] = "false",
        ["Concordat__Mail__PickupFolder"] = Path.Combine(node.Folder, "mail"),
        ["Concordat__Import__StagingFolder"] = Path.Combine(root, "imports"),
        ["Concordat__PublicUrl"] = "http://localhost",
        ["AllowedHosts"] = "localhost;127.0.0.1",
        ["Concordat__Admin__Email"] = BenchApp.AdminEmail,
        ["Concordat__Admin__Password"] = BenchApp.AdminPassword,
        ["Concordat__DemoData"] = "false",
        ["Concordat__Database__MigrateOnStart"] = "false", // migrated by the loader, as `concordat migrate` is run once per release
        ["Concordat__Metrics__Enabled"] = "true", // as the README's production settings have it
        ["Concordat__RateLimit__PasswordAttemptsPerMinute"] = "1000",
        ["Concordat__RateLimit__PasswordAttemptsPerAddressPerMinute"] = "1000",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    /// <summary>How many outbox entries the node's index is behind, from its /health/ready answer; null while it does not answer.</summary>
    static async Task<long?> BehindAsync(ScaleNode node, CancellationToken ct)
    {
        try
        {
            using var response = await node.Client!.GetAsync("/health/ready", ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var description = JsonNode.Parse(body)?["checks"]?["search-index"]?["description"]?.GetValue<string>();
            var match = description is null ? null : BehindPattern.Match(description);
            return match is { Success: true } ? long.Parse(match.Groups[1].Value) : null;
        }
        catch (HttpRequestException) { return null; } // not listening yet
        catch (System.Text.Json.JsonException) { return null; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return null; }
    }

    // ---------------------------------------------------------------- the query mix

    /// <summary>SearchBench's mix: five kinds of query, each bare, with one facet filter and with three; facet counts always on in the app.</summary>
    static void BuildMix(ScaleRun run)
    {
        foreach (var filters in QueryMix.FilterSets)
            foreach (var (kind, text) in QueryMix.Kinds)
                run.Mix.Add(new ScaleQuery(kind, text, filters));
    }

    static async Task QueryMixAsync(ScaleRun run, CancellationToken ct)
    {
        Console.WriteLine();
        Console.WriteLine($"Query mix over HTTP, one node at a time, one query at a time: {run.Options.WarmUp} warm-up round(s), then {run.Options.Reps} timed round(s) of {run.Mix.Count} queries...");
        foreach (var node in run.Nodes)
        {
            var clock = Stopwatch.StartNew();
            foreach (var q in run.Mix)
            {
                node.Hits[q.Name] = await TotalAsync(node, q.Text, q.Filters, ct);
                node.Ms[q.Name] = [];
            }
            for (var round = 1; round < run.Options.WarmUp; round++)
                foreach (var q in run.Mix) await TotalAsync(node, q.Text, q.Filters, ct);
            for (var round = 0; round < run.Options.Reps; round++)
                foreach (var q in run.Mix)
                {
                    var start = Stopwatch.GetTimestamp();
                    await TotalAsync(node, q.Text, q.Filters, ct);
                    node.Ms[q.Name].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            var all = node.Ms.Values.SelectMany(v => v).Order().ToArray();
            Console.WriteLine($"  {node.Name}: p50 {Stats.Percentile(all, 0.5):0.0} ms, p95 {Stats.Percentile(all, 0.95):0.0} ms, p99 {Stats.Percentile(all, 0.99):0.0} ms over the mix " +
                              $"({all.Length} timed queries, {clock.Elapsed.TotalSeconds:0} s)");
        }
        foreach (var q in run.Mix)
            if (run.Nodes.Select(n => n.Hits[q.Name]).Distinct().Count() > 1)
                throw new InvalidOperationException($"The nodes disagree on the hits of {q.Name}: {string.Join(" / ", run.Nodes.Select(n => n.Hits[q.Name]))}.");
    }

    /// <summary>GET /api/v1/search (20 a page, facet counts on as the app always has them), the whole body read; the total.</summary>
    static async Task<int> TotalAsync(ScaleNode node, string text, IReadOnlyList<(string Facet, string Value)> filters, CancellationToken ct, int pageSize = PageSize)
    {
        var url = new StringBuilder("/api/v1/search?q=").Append(Uri.EscapeDataString(text)).Append("&pageSize=").Append(pageSize);
        foreach (var (facet, value) in filters) url.Append('&').Append(facet).Append('=').Append(Uri.EscapeDataString(value));
        using var response = await node.Client!.GetAsync(url.ToString(), ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{node.Name}: GET {url}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        return JsonNode.Parse(body)!["total"]!.GetValue<int>();
    }

    // ---------------------------------------------------------------- the write load

    /// <summary>
    /// W writes a second for S seconds, alternately on each node and alternately a new agreement (POST) and an update of a
    /// loaded one (PUT), each carrying a word of its own in its title; from each write's answer, every node is searched for
    /// that word every 50 ms (one request at a time per node and write) until it is found or 30 s pass.
    /// </summary>
    static async Task WriteLoadAsync(ScaleRun run, WriteTargets targets, CancellationToken ct)
    {
        var o = run.Options;
        Console.WriteLine();
        Console.WriteLine($"Write load: {o.WritesPerSecond:0.##} writes/s for {o.WriteSeconds} s, alternating nodes, creates and updates; each write's word searched on every node every {LagPoll.TotalMilliseconds:0} ms...");
        var salt = Random.Shared.Next(26 * 26 * 26);
        var pick = new Random(SearchCorpus.Seed);
        var watchers = new List<Task>();
        var clock = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(o.WriteSeconds);
        var lastPrint = TimeSpan.Zero;
        for (var k = 0; ; k++)
        {
            var due = TimeSpan.FromSeconds(k / o.WritesPerSecond);
            if (due >= end || clock.Elapsed >= end + TimeSpan.FromSeconds(5)) break;
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed, ct);
            var node = run.Nodes[k % run.Nodes.Count];
            var word = UniqueWord(salt, k);
            var record = Record($"Scale benchmark write {word}", targets);
            var create = k % 2 == 0;
            run.WritesAttempted++;
            var start = Stopwatch.GetTimestamp();
            HttpResponseMessage response;
            try
            {
                response = create
                    ? await node.Client!.PostAsJsonAsync("/api/v1/agreements", record, ct)
                    : await node.Client!.PutAsJsonAsync($"/api/v1/agreements/{targets.AgreementIds[pick.Next(targets.AgreementIds.Count)]}", record, ct);
            }
            catch (HttpRequestException e)
            {
                run.WriteFailures++;
                run.FirstWriteFailure ??= $"{node.Name}: {e.Message}";
                continue;
            }
            using (response)
            {
                var answered = Stopwatch.GetTimestamp();
                if (response.StatusCode != (create ? HttpStatusCode.Created : HttpStatusCode.OK))
                {
                    run.WriteFailures++;
                    run.FirstWriteFailure ??= $"{node.Name} {(create ? "POST" : "PUT")}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
                    continue;
                }
                run.WriteMs.Add(Stopwatch.GetElapsedTime(start, answered).TotalMilliseconds);
                if (create) run.Creates++; else run.Updates++;
                foreach (var watched in run.Nodes)
                {
                    var lags = watched.Lags;
                    watchers.Add(Task.Run(async () =>
                    {
                        var lag = await WatchAsync(watched, word, answered, ct);
                        lock (lags) lags.Add(lag);
                    }, ct));
                }
            }
            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(10))
            {
                lastPrint = clock.Elapsed;
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds,4:0} s: {run.Creates + run.Updates} writes ({run.WriteFailures} failed); found so far: " +
                                  string.Join("; ", run.Nodes.Select(n => { lock (n.Lags) return $"{n.Name} {n.Lags.Count(l => l is not null)}"; })));
            }
        }
        run.WriteWall = clock.Elapsed;
        await Task.WhenAll(watchers); // each bounded by LagLimit
        if (run.Creates + run.Updates == 0) throw new InvalidOperationException("No write succeeded: " + run.FirstWriteFailure);
        foreach (var node in run.Nodes)
        {
            var found = node.Lags.Where(l => l is not null).Select(l => l!.Value).Order().ToArray();
            Console.WriteLine($"  {node.Name}: found {found.Length} of {node.Lags.Count} writes; lag p50 {P(found, 0.5):0} ms, p95 {P(found, 0.95):0} ms, max {(found.Length > 0 ? found[^1] : double.NaN):0} ms");
        }
        if (run.FirstWriteFailure is not null) Console.WriteLine($"  {run.WriteFailures} write(s) failed; the first: {run.FirstWriteFailure}");
    }

    /// <summary>From the write's answer until a search on this node finds the word: milliseconds, or null when not found within the limit.</summary>
    static async Task<double?> WatchAsync(ScaleNode node, string word, long answered, CancellationToken ct)
    {
        while (Stopwatch.GetElapsedTime(answered) < LagLimit)
        {
            try
            {
                if (await TotalAsync(node, word, [], ct, pageSize: 1) > 0) return Stopwatch.GetElapsedTime(answered).TotalMilliseconds;
            }
            catch (HttpRequestException) { }
            await Task.Delay(LagPoll, ct);
        }
        return null;
    }

    /// <summary>Letters only, unique to this run and write, ending in a letter no English suffix rule strips.</summary>
    static string UniqueWord(int salt, int k)
    {
        var sb = new StringBuilder("zq");
        for (var v = (long)salt * 1_000_000 + k; ; v /= 26)
        {
            sb.Append((char)('a' + (int)(v % 26)));
            if (v < 26) break;
        }
        return sb.Append('x').ToString();
    }

    /// <summary>A complete record (as the tests' CompleteRecordAsync), so an update of a published agreement stays publishable.</summary>
    static object Record(string title, WriteTargets t) => new
    {
        title,
        agreementType = "information-sharing",
        purpose = "Partners share details of residents at high risk of fire so that they are offered a home fire safety visit.",
        leadOrganisationId = t.LeadId,
        parties = new[] { new { organisationId = t.LeadId, role = "joint-controller" }, new { organisationId = t.PartnerId, role = "joint-controller" } },
        dataFlows = new[]
        {
            new { fromOrganisationId = t.PartnerId, toOrganisationId = t.LeadId, dataItems = "Name and address", frequency = "weekly" },
            new { fromOrganisationId = t.LeadId, toOrganisationId = t.PartnerId, dataItems = "Visit outcome", frequency = "monthly" },
        },
        dataSubjects = new[] { "residents" },
        sensitivity = new[] { "personal" },
        lawfulBasis = new[] { "public-task" },
        startDate = "2025-04-01",
        reviewDate = "2027-04-01",
        visibility = "public",
        contactEmail = "ig@lfb.example.gov.uk",
    };

    // ---------------------------------------------------------------- report

    static double P(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : Stats.Percentile(sorted, p);

    static string Minutes(double seconds) => seconds < 120 ? $"{seconds:0} s" : seconds < 7200 ? $"{seconds / 60:0} min" : $"{seconds / 3600:0.0} h";

    static string Mb(long bytes) => bytes < 0 ? "–" : $"{Units.MB(bytes):N0} MB";

    static string Render(ScaleRun run)
    {
        var o = run.Options;
        var m = run.Machine;
        var sb = new StringBuilder();
        sb.AppendLine($"# Scale benchmark: {run.Loaded:N0} agreements, {o.Database}, {o.Nodes} node{(o.Nodes > 1 ? "s" : "")}");
        sb.AppendLine();
        sb.AppendLine($"Written by the benchmark on {run.Started:yyyy-MM-dd HH:mm zzz}{ResultsFile.Commit()}. Re-run with:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(o.Command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine($"- Machine: {m.Cpu}, `nproc` = {m.Cores}, {m.Memory}; {m.Runtime} on {m.Os}; {(m.Optimized ? "Release build" : "**not a Release build**")}; storage {m.TempStorage}; " +
                      $"load average (1 min) at the start / end {m.LoadAverage} / {MachineInfo.ReadLoadAverage()}. The database server, the nodes and the benchmark client share these cores.");
        sb.AppendLine($"- Database: {run.ServerVersion}{(BenchApp.OnPostgres ? " (a database of its own, dropped afterwards)" : " (one file)")}; " +
                      $"{Mb(run.DatabaseBytes)} after the load, {Mb(run.DatabaseBytesAtEnd)} at the end.");
        sb.AppendLine($"- Nodes: {o.Nodes} × `dotnet concordat.dll` (the built app, Production environment, server GC, metrics on), each a process of its own with its own Lucene index folder, all over the one database.");
        sb.AppendLine($"- Records: {run.Loaded:N0} agreements from `SearchCorpus` (seed {SearchCorpus.Seed}, records without text), one file each with a text **sampled** from the search corpus " +
                      $"({SampledText.PoolSize:N0} generated agreement texts, their first {SampledText.PoolCharsPerText:N0} characters split into clause paragraphs; each agreement gets its title, reference and purpose " +
                      $"and random paragraphs of one pool text up to ~{SampledText.TargetChars:N0} characters): {Units.MB(run.TextBytes):N0} MB of text, {(double)run.TextBytes / run.Loaded:N0} bytes an agreement; " +
                      $"`{SearchCorpus.RareWord}` in {run.RareExpected:N0} (1 in {SearchCorpus.RareEvery:N0}, as SearchCorpus plants it).");
        sb.AppendLine($"- Load: through the app's `ConcordatDb` in-process (its outbox interceptor writing one `SearchOutbox` row per agreement), {LoadBatch:N0} agreements a `SaveChanges`, change detection off, " +
                      $"no search indexer running: **{run.Load.TotalSeconds:0.0} s = {run.LoadRate:N0} agreements/s** ({Units.MB(run.TextBytes) / run.Load.TotalSeconds:0.0} MB of text/s; saving {run.LoadSave.TotalSeconds:0.0} s, " +
                      $"generation alongside). At this rate 100,000 take {Minutes(100_000 / run.LoadRate)} and 1,000,000 {Minutes(1_000_000 / run.LoadRate)} (linear; the real sizes will tell).");
        sb.AppendLine();

        sb.AppendLine($"## Indexing: each node applies the whole outbox ({run.Loaded:N0} entries) from an empty index{(o.Nodes > 1 ? ", all nodes at the same time on the same cores" : "")}");
        sb.AppendLine();
        sb.AppendLine("| node | caught up (from process start) | agreements/s | MB of text/s | once serving | index on disk (end) | index ÷ text |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var n in run.Nodes)
        {
            var s = n.IndexTime?.TotalSeconds ?? double.NaN;
            var steady = n.FirstAnswer is { } f && n.CaughtUp is { } d && n.BehindAtFirstAnswer > 0 && d - f >= TimeSpan.FromSeconds(2)
                ? $"{n.BehindAtFirstAnswer / (d - f).TotalSeconds:N0}/s over the last {n.BehindAtFirstAnswer:N0}" : "–";
            sb.AppendLine($"| {n.Name} | {s:0.0} s | {run.Loaded / s:N0} | {Units.MB(run.TextBytes) / s:0.00} | {steady} | {Mb(n.IndexBytes)} | {(double)n.IndexBytes / run.TextBytes:0.00}x |");
        }
        sb.AppendLine();
        sb.AppendLine("Caught up = the node's `/health/ready` says its index is 0 outbox entries behind (polled every 200 ms); the time includes the process's start-up (about a second or two). " +
                      "\"Once serving\" is the rate from the node's first answer to caught up, leaving start-up out. Every node then finds the rare word in exactly the agreements loaded with it.");
        sb.AppendLine();

        sb.AppendLine($"## Query mix: {o.Reps} timed round(s) of the 15 queries per node after {o.WarmUp} warm-up round(s), over HTTP, one query at a time, one node at a time");
        sb.AppendLine();
        sb.AppendLine("`GET /api/v1/search?q=…&pageSize=20&<facet>=…` with the administrator's API token (no visibility labels), whole body read; facet counts are always on. Milliseconds, nearest rank. Goal: p95 ≤ 100 ms.");
        sb.AppendLine();
        sb.AppendLine("| node | p50 | p95 | p99 | max | goal (p95 ≤ 100 ms) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var n in run.Nodes)
        {
            var all = n.Ms.Values.SelectMany(v => v).Order().ToArray();
            sb.AppendLine($"| {n.Name} | {P(all, 0.5):0.0} | {P(all, 0.95):0.0} | {P(all, 0.99):0.0} | {(all.Length > 0 ? all[^1] : double.NaN):0.0} | {(P(all, 0.95) <= 100 ? "met" : "**missed**")} |");
        }
        sb.AppendLine();
        sb.AppendLine("Per query: hits, and p50 / p95 on each node:");
        sb.AppendLine();
        sb.AppendLine($"| query | hits | {string.Join(" | ", run.Nodes.Select(n => n.Name))} |");
        sb.AppendLine($"|---|---:|{string.Concat(run.Nodes.Select(_ => "---:|"))}");
        foreach (var q in run.Mix)
            sb.AppendLine($"| {q.Name} | {run.Nodes[0].Hits.GetValueOrDefault(q.Name, -1):N0} | {string.Join(" | ", run.Nodes.Select(n => Ps(n.Ms.GetValueOrDefault(q.Name) ?? [])))} |");
        sb.AppendLine($"| **p95 by kind (all facet sets)** | | {string.Join(" | ", run.Nodes.Select(_ => ""))} |");
        foreach (var kind in run.Mix.Select(q => q.Kind).Distinct())
            sb.AppendLine($"| {kind} | | {string.Join(" | ", run.Nodes.Select(n => $"{P(run.Mix.Where(q => q.Kind == kind).SelectMany(q => n.Ms.GetValueOrDefault(q.Name) ?? []).Order().ToArray(), 0.95):0.0}"))} |");
        sb.AppendLine();

        if (o.WriteSeconds > 0)
        {
            var writes = run.WriteMs.Order().ToArray();
            sb.AppendLine("## Outbox lag under a steady write load");
            sb.AppendLine();
            sb.AppendLine($"{o.WritesPerSecond:0.##} writes/s asked for {o.WriteSeconds} s: {run.Creates + run.Updates} made in {run.WriteWall.TotalSeconds:0} s ({(run.Creates + run.Updates) / run.WriteWall.TotalSeconds:0.0}/s; " +
                          $"{run.Creates} `POST /api/v1/agreements`, {run.Updates} `PUT /api/v1/agreements/{{id}}` of a loaded agreement; {run.WriteFailures} failed{(run.FirstWriteFailure is null ? "" : $", the first: {Truncate(run.FirstWriteFailure)}")}), " +
                          $"one at a time by one client, alternating nodes; write latency p50 {P(writes, 0.5):0} ms, p95 {P(writes, 0.95):0} ms. Each write carries a word of its own in its title. " +
                          $"Lag = from the write's answer to the first search on that node that finds the word (searched every {LagPoll.TotalMilliseconds:0} ms, one request at a time per node and write, up to {LagLimit.TotalSeconds:0} s). " +
                          "A search on a node behind the database wakes its indexer and waits for it up to 2 s, as the app does for every search, so this is the lag a person searching sees.");
            sb.AppendLine();
            sb.AppendLine("| node | writes found | p50 | p95 | max | goal (p95 < 2 s) |");
            sb.AppendLine("|---|---:|---:|---:|---:|---|");
            foreach (var n in run.Nodes)
            {
                var found = n.Lags.Where(l => l is not null).Select(l => l!.Value).Order().ToArray();
                var missed = n.Lags.Count - found.Length;
                var p95 = missed * 20 > n.Lags.Count ? double.PositiveInfinity : P(found.Concat(Enumerable.Repeat(double.PositiveInfinity, missed)).Order().ToArray(), 0.95);
                sb.AppendLine($"| {n.Name} | {found.Length} of {n.Lags.Count} | {P(found, 0.5):0} ms | {P(found, 0.95):0} ms | {(found.Length > 0 ? found[^1] : double.NaN):0} ms | {(p95 < 2000 ? "met" : "**missed**")} |");
            }
            sb.AppendLine();
        }

        sb.AppendLine("## Memory per node process");
        sb.AppendLine();
        sb.AppendLine("Working set (VmRSS from /proc/<pid>/status); peak = VmHWM over the process's life (its indexing included).");
        sb.AppendLine();
        sb.AppendLine("| node | after indexing | after the query mix | after the write load | peak |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var n in run.Nodes)
            sb.AppendLine($"| {n.Name} | {Mb(n.RssAfterIndexing)} | {Mb(n.RssAfterQueries)} | {Mb(n.RssAfterWrites)} | {Mb(n.PeakRss)} |");
        sb.AppendLine();
        sb.AppendLine("Managed heap, as each node's last garbage collection left it (all generations, `dotnet_gc_last_collection_heap_size_bytes` from its /metrics):");
        sb.AppendLine();
        sb.AppendLine("| node | after the query mix | after the write load |");
        sb.AppendLine("|---|---:|---:|");
        foreach (var n in run.Nodes) sb.AppendLine($"| {n.Name} | {Mb(n.HeapAfterQueries)} | {Mb(n.HeapAfterWrites)} |");
        if (run.Status != "complete") sb.AppendLine($"\n**Run status: {run.Status}**");
        return sb.ToString();
    }

    static string Ps(List<double> ms)
    {
        var sorted = ms.Order().ToArray();
        return $"{P(sorted, 0.5):0.0} / {P(sorted, 0.95):0.0}";
    }

    static string Truncate(string s) => s.Length <= 200 ? s : s[..200] + "…";

    // ---------------------------------------------------------------- plumbing

    static void StopAll()
    {
        lock (Started)
        {
            foreach (var process in Started)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(10_000);
                    }
                }
                catch (InvalidOperationException) { } // never started or already gone
            }
            Started.Clear();
        }
    }

    /// <summary>The built app beside the benchmark's own project reference build: src/Concordat/bin/Release/net10.0/concordat.dll.</summary>
    static string FindAppDll()
    {
        var bench = Path.GetDirectoryName(ResultsFile.DefaultPath())!; // .../bench
        var dll = Path.Combine(Path.GetDirectoryName(bench)!, "src", "Concordat", "bin", "Release", "net10.0", "concordat.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"The built app is not at {dll}: run `dotnet build -c Release src/Concordat` first.");
        return dll;
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The node's managed heap after its last collection, summed over the generations; -1 if its /metrics does not say.</summary>
    static async Task<long> HeapAsync(ScaleNode node, CancellationToken ct)
    {
        try
        {
            var metrics = await node.Client!.GetStringAsync("/metrics", ct);
            var sizes = metrics.Split('\n').Where(l => l.StartsWith("dotnet_gc_last_collection_heap_size_bytes", StringComparison.Ordinal))
                // "name{labels} value [timestamp]": the value is the first word after the labels.
                .Select(l => l[(l.LastIndexOf('}') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(words => words.Length > 0 && double.TryParse(words[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0)
                .ToList();
            return sizes.Count == 0 ? -1 : (long)sizes.Sum();
        }
        catch (HttpRequestException) { return -1; }
    }

    static long Rss(ScaleNode node, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{node.Process!.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb) ? kb * 1024 : -1;
        }
        catch (IOException) { return -1; }
    }

    static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    static long DatabaseBytes(string connectionString, string root)
    {
        if (BenchApp.OnPostgres) return long.Parse(Scalar(connectionString, "SELECT pg_database_size(current_database())"));
        var file = Path.Combine(root, "concordat.db");
        return new FileInfo(file).Length + (File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0);
    }

    static string Scalar(string connectionString, string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "?";
    }

    static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }
}
