using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Search;
using Concordat.Shared;
using Lucene.Net.Analysis.En;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Bench;

// Search benchmark (issue 4, "Speed"): a generated corpus loaded straight into the app's database, indexed by the app's own
// SearchIndex.ApplyPendingAsync, then one fixed query mix measured five ways on the same corpus in the same run.
//
//   dotnet run -c Release --project bench/Concordat.Bench -- search --agreements 2000
//
// Options: --agreements N (default 2000), --reps N (timed rounds over the mix, default 30), --warmup N (default 3),
// --results PATH (default bench/SEARCH-RESULTS.md), --no-write.

sealed record SearchOptions(int Agreements, int Reps, int WarmUp, bool Write, string? ResultsPath, string[] Args)
{
    public static SearchOptions Parse(string[] args)
    {
        int agreements = 2000, reps = 30, warmUp = 3;
        var write = true;
        string? results = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--agreements":
                    agreements = int.TryParse(Value(), out var n) && n is >= 10 and <= 1_000_000 ? n : throw new ArgumentException("--agreements must be 10 to 1000000");
                    break;
                case "--reps": reps = int.TryParse(Value(), out var r) && r >= 5 ? r : throw new ArgumentException("--reps must be at least 5"); break;
                case "--warmup": warmUp = int.TryParse(Value(), out var w) && w >= 0 ? w : throw new ArgumentException("--warmup must be 0 or more"); break;
                case "--no-write": write = false; break;
                case "--results": results = Path.GetFullPath(Value()); break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }
        }
        return new SearchOptions(agreements, reps, warmUp, write, results, args);
    }

    public string Command => "dotnet run -c Release --project bench/Concordat.Bench -- search " +
                             (Args.Contains("--agreements") ? string.Join(' ', Args) : string.Join(' ', new[] { "--agreements", Agreements.ToString() }.Concat(Args)));
}

/// <summary>One query of the mix, written for each engine.</summary>
/// <param name="Filters">facet → value, as the app's URL takes them; empty for none</param>
sealed record MixQuery(string Kind, string AppText, string FtsMatch, Func<string, Query> Lucene, IReadOnlyList<(string Facet, string Value)> Filters)
{
    public string Name => Filters.Count == 0 ? Kind : $"{Kind} + {Filters.Count} facet{(Filters.Count > 1 ? "s" : "")}";
}

/// <summary>Latencies of one path for one query, in milliseconds, and the total hits it reported.</summary>
sealed class Samples
{
    public List<double> Ms { get; } = [];
    public int Hits { get; set; } = -1;
    double[] Sorted => Ms.Order().ToArray();
    public double P(double p) => Ms.Count == 0 ? double.NaN : Stats.Percentile(Sorted, p);
    public double QueriesPerSecond => Ms.Count == 0 ? double.NaN : Ms.Count / (Ms.Sum() / 1000.0);
}

enum SearchPath { RawLucene, AppSearch, AppSearchRows, HttpAdmin, HttpPartner, Fts5 }

sealed class SearchRun
{
    public required SearchOptions Options { get; init; }
    public required MachineInfo Machine { get; init; }
    public required DateTimeOffset Started { get; init; }
    public int Agreements { get; set; }
    public int Files { get; set; }
    public long Pages { get; set; }
    public long TextBytes { get; set; }
    public TimeSpan Generate { get; set; }
    public TimeSpan DatabaseLoad { get; set; }
    public TimeSpan FtsLoad { get; set; }
    public TimeSpan Indexing { get; set; }
    public int OutboxApplied { get; set; }
    public long IndexBytes { get; set; }
    public int IndexSegments { get; set; }
    public long FtsBytes { get; set; }
    public long DatabaseBytes { get; set; }
    public string PartnerDescription { get; set; } = "";
    public long WorkingSetAfterHttp { get; set; }
    public long ManagedHeapAfterHttp { get; set; }
    public long PeakWorkingSet { get; set; }
    public long WorkingSetAtEnd { get; set; }
    public List<MixQuery> Mix { get; } = [];
    public Dictionary<(SearchPath, string), Samples> Results { get; } = [];
    public Samples Get(SearchPath path, MixQuery q) => Results.TryGetValue((path, q.Name), out var s) ? s : Results[(path, q.Name)] = new Samples();
}

/// <summary>The search query mix, shared by the search and scale benchmarks: five kinds of query, each bare, with one facet filter and with three.</summary>
static class QueryMix
{
    public static readonly (string Kind, string Text)[] Kinds =
    [
        ("rare term", SearchCorpus.RareWord),
        ("common term", "information"),
        ("two-word phrase", "\"retention schedule\""),
        ("three terms", "clutter caldicott yilmaz"),
        ("prefix", "secur*"),
    ];

    public static readonly (string Facet, string Value)[][] FilterSets =
    [
        [],
        [(SearchFacets.Status, "active")],
        [(SearchFacets.Status, "active"), (SearchFacets.Sensitivity, "special-category"), (SearchFacets.OrganisationType, "police")],
    ];
}

static class SearchBench
{
    const int PageSize = 20;
    const int LoadBatch = 50;
    static readonly EnglishAnalyzer Analyzer = new(SearchIndex.Version);

    public static async Task<int> RunAsync(string[] args)
    {
        SearchOptions options;
        try { options = SearchOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Concordat.Bench -- search [--agreements N] [--reps N] [--warmup N] [--results PATH] [--no-write]");
            return 2;
        }
        var resultsPath = options.Write ? options.ResultsPath ?? Path.Combine(Path.GetDirectoryName(ResultsFile.DefaultPath())!, "SEARCH-RESULTS.md") : null;
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);

        var run = new SearchRun { Options = options, Machine = MachineInfo.Collect(), Started = DateTimeOffset.Now };
        Console.WriteLine($"Concordat search benchmark: {options.Agreements} agreements, {options.Reps} timed rounds of the query mix after {options.WarmUp} warm-up rounds");
        Console.WriteLine($"Machine: {run.Machine.Summary}");
        if (!run.Machine.Optimized) Console.WriteLine("WARNING: this is not an optimised (Release) build; figures are not representative.");

        await using var app = new BenchApp(kestrel: true, searchIndexer: false);
        using var admin = await app.AdminApiAsync(); // starts the server: database migrated, organisations seeded
        var ftsPath = Path.Combine(app.Root, "fts5.db");
        await using var fts = new SqliteConnection($"Data Source={ftsPath};Pooling=False");
        await fts.OpenAsync();
        await CreateFtsAsync(fts);

        await LoadAsync(app, fts, run);
        await IndexAsync(app, run);
        run.FtsBytes = await CheckpointAndSizeAsync(fts, ftsPath);
        run.DatabaseBytes = BenchApp.OnPostgres ? app.PostgresDatabaseBytes()
            : new FileInfo(app.DatabasePath).Length + (File.Exists(app.DatabasePath + "-wal") ? new FileInfo(app.DatabasePath + "-wal").Length : 0);

        var (partnerEmail, partnerViewer) = await CreatePartnerAsync(app, run);
        using var partner = await app.ApiAsync(partnerEmail, "search benchmark");

        BuildMix(run);
        Console.WriteLine();
        Console.WriteLine("Measuring (each path: warm-up rounds, then timed rounds over the whole mix in a fixed order; one query at a time)...");
        var index = app.Services.GetRequiredService<SearchIndex>();
        var adminViewer = Viewer.Process("bench");

        await MeasureAsync(run, SearchPath.RawLucene, q => Task.FromResult(RawLucene(index, q)));
        await MeasureAsync(run, SearchPath.AppSearch, q => AppSearchAsync(app, adminViewer, q, withRows: false));
        await MeasureAsync(run, SearchPath.AppSearchRows, q => AppSearchAsync(app, adminViewer, q, withRows: true));
        await MeasureAsync(run, SearchPath.HttpAdmin, q => HttpAsync(admin, q));
        await MeasureAsync(run, SearchPath.HttpPartner, q => HttpAsync(partner, q));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using (var self = Process.GetCurrentProcess())
        {
            run.WorkingSetAfterHttp = self.WorkingSet64;
            run.ManagedHeapAfterHttp = GC.GetTotalMemory(false);
        }
        // Partner check: its totals never exceed the administrator's.
        foreach (var q in run.Mix)
            if (run.Get(SearchPath.HttpPartner, q).Hits > run.Get(SearchPath.HttpAdmin, q).Hits)
                throw new InvalidOperationException($"The partner saw more than the administrator for {q.Name}.");
        await MeasureAsync(run, SearchPath.Fts5, q => Task.FromResult(Fts(fts, q)));
        using (var self = Process.GetCurrentProcess()) run.WorkingSetAtEnd = self.WorkingSet64;
        run.PeakWorkingSet = PeakWorkingSet();
        _ = partnerViewer;

        var report = SearchReport.Render(run);
        Console.WriteLine();
        Console.WriteLine(report);
        if (resultsPath is not null)
        {
            await File.WriteAllTextAsync(resultsPath, report);
            Console.WriteLine($"Wrote {resultsPath}");
        }
        return 0;
    }

    // ---------------------------------------------------------------- corpus

    static async Task CreateFtsAsync(SqliteConnection fts)
    {
        await using var c = fts.CreateCommand();
        c.CommandText = """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE VIRTUAL TABLE docs USING fts5(text, content='', tokenize='porter unicode61');
            CREATE TABLE facet(agreement INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
            """;
        await c.ExecuteNonQueryAsync();
    }

    /// <summary>Generates the corpus and inserts it in batches: agreements (with parties, flows, files, versions) and text rows through the app's DbContext, and the same text into the FTS5 file.</summary>
    static async Task LoadAsync(BenchApp app, SqliteConnection fts, SearchRun run)
    {
        List<Organisation> organisations;
        await using (var scope = app.Services.CreateAsyncScope())
            organisations = await scope.ServiceProvider.GetRequiredService<ConcordatDb>().Organisations.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
        var types = organisations.ToDictionary(o => o.Id, o => o.Type.Slug());
        var corpus = new SearchCorpus(organisations);
        var generate = new Stopwatch();
        var load = new Stopwatch();
        var ftsLoad = new Stopwatch();
        var n = run.Options.Agreements;
        Console.WriteLine($"Generating and loading {n} agreements ({organisations.Count} seeded organisations)...");
        for (var start = 0; start < n; start += LoadBatch)
        {
            generate.Start();
            var batch = Enumerable.Range(start, Math.Min(LoadBatch, n - start)).Select(corpus.Next).ToList();
            generate.Stop();

            load.Start();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
                foreach (var g in batch)
                {
                    db.Agreements.Add(g.Agreement);
                    foreach (var (text, i) in g.FileTexts.Select((t, i) => (t, i)))
                        db.FileTexts.Add(new FileText { Sha256 = g.Agreement.Files[i].Versions[0].Sha256, Text = text });
                }
                await db.SaveChangesAsync(); // the app's outbox interceptor writes one SearchOutbox row per agreement here
            }
            load.Stop();

            ftsLoad.Start();
            await using (var tx = (SqliteTransaction)await fts.BeginTransactionAsync())
            {
                await using var doc = fts.CreateCommand();
                doc.Transaction = tx;
                doc.CommandText = "INSERT INTO docs(rowid, text) VALUES ($id, $text)";
                var id = doc.Parameters.Add("$id", SqliteType.Integer);
                var text = doc.Parameters.Add("$text", SqliteType.Text);
                await using var facet = fts.CreateCommand();
                facet.Transaction = tx;
                facet.CommandText = "INSERT INTO facet(agreement, facet, value) VALUES ($id, $facet, $value)";
                var fid = facet.Parameters.Add("$id", SqliteType.Integer);
                var fname = facet.Parameters.Add("$facet", SqliteType.Text);
                var fvalue = facet.Parameters.Add("$value", SqliteType.Text);
                foreach (var g in batch)
                {
                    var a = g.Agreement;
                    id.Value = a.Id;
                    text.Value = string.Join('\n', g.FileTexts);
                    await doc.ExecuteNonQueryAsync();
                    var values = new List<(string, string)> { (SearchFacets.Status, a.Status.Slug()) };
                    values.AddRange(a.Sensitivities.Select(s => (SearchFacets.Sensitivity, s.Slug())));
                    values.AddRange(a.Parties.Select(p => p.OrganisationId).Append(a.LeadOrganisationId).Select(o => types[o]).Distinct().Select(t => (SearchFacets.OrganisationType, t)));
                    foreach (var (f, v) in values)
                    {
                        fid.Value = a.Id;
                        fname.Value = f;
                        fvalue.Value = v;
                        await facet.ExecuteNonQueryAsync();
                    }
                }
                await tx.CommitAsync();
            }
            ftsLoad.Stop();

            run.Agreements += batch.Count;
            run.Files += batch.Sum(g => g.FileTexts.Count);
            run.Pages += batch.Sum(g => g.FilePages.Sum());
            run.TextBytes += batch.Sum(g => g.FileTexts.Sum(t => (long)Encoding.UTF8.GetByteCount(t)));
            if ((start / LoadBatch) % 20 == 19 || start + LoadBatch >= n)
                Console.WriteLine($"  {run.Agreements} agreements, {run.Files} files, {Units.MB(run.TextBytes):0} MB of text " +
                                  $"(generate {generate.Elapsed.TotalSeconds:0.0} s, database {load.Elapsed.TotalSeconds:0.0} s, FTS5 {ftsLoad.Elapsed.TotalSeconds:0.0} s)");
        }
        await using (var c = fts.CreateCommand())
        {
            ftsLoad.Start();
            c.CommandText = "CREATE INDEX facet_value ON facet(facet, value, agreement); INSERT INTO docs(docs) VALUES ('optimize'); ANALYZE;";
            await c.ExecuteNonQueryAsync();
            ftsLoad.Stop();
        }
        (run.Generate, run.DatabaseLoad, run.FtsLoad) = (generate.Elapsed, load.Elapsed, ftsLoad.Elapsed);
    }

    /// <summary>The app's own indexing: SearchIndex.ApplyPendingAsync over every outbox row the load wrote, timed.</summary>
    static async Task IndexAsync(BenchApp app, SearchRun run)
    {
        var index = app.Services.GetRequiredService<SearchIndex>();
        Console.WriteLine($"Indexing through SearchIndex.ApplyPendingAsync (applied so far: {index.AppliedSequence})...");
        GC.Collect();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var clock = Stopwatch.StartNew();
        run.OutboxApplied = await index.ApplyPendingAsync(db, CancellationToken.None);
        run.Indexing = clock.Elapsed;
        var last = await db.SearchOutbox.MaxAsync(e => (long?)e.Id) ?? 0;
        if (index.AppliedSequence != last) throw new InvalidOperationException($"Index applied {index.AppliedSequence} of {last} outbox rows.");
        run.IndexBytes = new DirectoryInfo(index.Folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        var searcher = index.Acquire();
        try
        {
            run.IndexSegments = searcher.IndexReader.Leaves.Count;
            if (searcher.IndexReader.NumDocs != run.Agreements) throw new InvalidOperationException($"Index holds {searcher.IndexReader.NumDocs} documents, expected {run.Agreements}.");
        }
        finally { index.Release(searcher); }
        Console.WriteLine($"  {run.OutboxApplied} outbox rows in {run.Indexing.TotalSeconds:0.0} s = {Units.MB(run.TextBytes) / run.Indexing.TotalSeconds:0.0} MB of text/s; " +
                          $"index {Units.MB(run.IndexBytes):0} MB in {run.IndexSegments} segments ({(double)run.IndexBytes / run.TextBytes:0.00}x the text)");
    }

    static async Task<long> CheckpointAndSizeAsync(SqliteConnection fts, string path)
    {
        await using var c = fts.CreateCommand();
        c.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await c.ExecuteNonQueryAsync();
        return new FileInfo(path).Length;
    }

    /// <summary>
    /// A partner: a person with a plain membership of a borough, the London Fire Brigade and the Metropolitan Police, so that
    /// their searches carry visibility labels (public, partners, party-…; no drafts but their own organisations' are hidden).
    /// </summary>
    static async Task<(string Email, Viewer Viewer)> CreatePartnerAsync(BenchApp app, SearchRun run)
    {
        const string email = "bench-partner@bench.example";
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, "a long partner benchmark password");
        if (!created.Succeeded) throw new InvalidOperationException("Could not create the partner: " + string.Join("; ", created.Errors.Select(e => e.Description)));
        var names = new[] { "London Fire Brigade", "Metropolitan Police Service" };
        var organisations = await db.Organisations.Where(o => names.Contains(o.Name)).ToListAsync();
        organisations.Add(await db.Organisations.Where(o => o.Type == OrganisationType.LocalAuthority).OrderBy(o => o.Id).FirstAsync());
        foreach (var o in organisations)
            db.Memberships.Add(new Membership { UserId = user.Id, OrganisationId = o.Id, Roles = OrganisationRole.Member, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        run.PartnerDescription = "member (no editing role) of " + string.Join(", ", organisations.Select(o => o.Name));
        return (email, new Viewer(user.Id, email, false, false, organisations.ToDictionary(o => o.Id, _ => OrganisationRole.Member)));
    }

    // ---------------------------------------------------------------- the mix

    static void BuildMix(SearchRun run)
    {
        foreach (var filters in QueryMix.FilterSets)
            foreach (var (kind, text) in QueryMix.Kinds)
            {
                // FTS5 takes the same text; the raw Lucene query is built as the app's parser would.
                Func<string, Query> lucene = kind switch
                {
                    "two-word phrase" => f => new QueryBuilder(Analyzer).CreatePhraseQuery(f, text.Trim('"')),
                    "prefix" => f => new PrefixQuery(new Term(f, text.TrimEnd('*'))),
                    _ => f => Words(f, text),
                };
                run.Mix.Add(new MixQuery(kind, text, text, lucene, filters));
            }
    }

    static Query Words(string field, string text) => new QueryBuilder(Analyzer).CreateBooleanQuery(field, text, Occur.MUST);

    static async Task MeasureAsync(SearchRun run, SearchPath path, Func<MixQuery, Task<int>> execute)
    {
        var clock = Stopwatch.StartNew();
        foreach (var q in run.Mix) run.Get(path, q).Hits = await execute(q); // first call of each: also the hit count
        for (var round = 1; round < run.Options.WarmUp; round++)
            foreach (var q in run.Mix) await execute(q);
        GC.Collect();
        for (var round = 0; round < run.Options.Reps; round++)
        {
            foreach (var q in run.Mix)
            {
                var start = Stopwatch.GetTimestamp();
                await execute(q);
                run.Get(path, q).Ms.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        var all = run.Mix.SelectMany(q => run.Get(path, q).Ms).Order().ToArray();
        Console.WriteLine($"  {SearchReport.Label(path),-44} p50 {Stats.Percentile(all, 0.5),8:0.00} ms, p95 {Stats.Percentile(all, 0.95),8:0.00} ms over the mix  ({clock.Elapsed.TotalSeconds:0} s)");
    }

    /// <summary>(2) The query alone: the file-text field, facet filters as plain term filters, top 20 by BM25 with the total; no labels, no facet counts.</summary>
    static int RawLucene(SearchIndex index, MixQuery q)
    {
        var searcher = index.Acquire();
        try
        {
            Query query = q.Lucene(AgreementSearchDocument.Text);
            if (q.Filters.Count > 0)
            {
                var filtered = new BooleanQuery { { query, Occur.MUST } };
                foreach (var (facet, value) in q.Filters) filtered.Add(new ConstantScoreQuery(new TermQuery(new Term(facet, value))) { Boost = 0 }, Occur.MUST);
                query = filtered;
            }
            var collector = TopScoreDocCollector.Create(PageSize, true);
            searcher.Search(query, collector);
            var top = collector.GetTopDocs();
            return top.TotalHits;
        }
        finally { index.Release(searcher); }
    }

    /// <summary>(1b) The app's query in-process, as a request does it: a scope, AgreementSearch.SearchAsync (and the rows with snippets).</summary>
    static async Task<int> AppSearchAsync(BenchApp app, Viewer viewer, MixQuery q, bool withRows)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<AgreementSearch>();
        var filters = q.Filters.GroupBy(f => f.Facet).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(f => f.Value).ToList());
        var result = await search.SearchAsync(viewer, new SearchRequest(q.AppText, 1, PageSize, SearchSort.Relevance, filters), CancellationToken.None);
        if (withRows) await SearchRows.LoadAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), viewer, result, CancellationToken.None);
        return result.Total;
    }

    /// <summary>(1) End to end: GET /api/v1/search over loopback HTTP with a bearer token, the whole JSON body read.</summary>
    static async Task<int> HttpAsync(HttpClient client, MixQuery q)
    {
        var url = new StringBuilder("/api/v1/search?q=").Append(Uri.EscapeDataString(q.AppText)).Append("&pageSize=").Append(PageSize);
        foreach (var (facet, value) in q.Filters) url.Append('&').Append(facet).Append('=').Append(Uri.EscapeDataString(value));
        using var response = await client.GetAsync(url.ToString());
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        return JsonNode.Parse(body)!["total"]!.GetValue<int>();
    }

    /// <summary>(3) SQLite FTS5 over the same text: top 20 by bm25 and the count of matches, facet filters as indexed look-ups.</summary>
    static int Fts(SqliteConnection fts, MixQuery q)
    {
        var where = new StringBuilder("docs MATCH $q");
        // "+rowid": keeps the filter out of FTS5's xBestIndex. Without it SQLite drives the query from the facet rows and runs the
        // MATCH once per candidate rowid (seconds for a phrase); with it, FTS5 matches once and the facet index checks each hit.
        for (var i = 0; i < q.Filters.Count; i++) where.Append($" AND +rowid IN (SELECT agreement FROM facet WHERE facet = $f{i} AND value = $v{i})");
        using var top = fts.CreateCommand();
        top.CommandText = $"SELECT rowid FROM docs WHERE {where} ORDER BY rank LIMIT {PageSize}";
        using var count = fts.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM docs WHERE {where}";
        foreach (var c in new[] { top, count })
        {
            c.Parameters.AddWithValue("$q", q.FtsMatch);
            for (var i = 0; i < q.Filters.Count; i++)
            {
                c.Parameters.AddWithValue($"$f{i}", q.Filters[i].Facet);
                c.Parameters.AddWithValue($"$v{i}", q.Filters[i].Value);
            }
        }
        using (var reader = top.ExecuteReader()) while (reader.Read()) _ = reader.GetInt64(0);
        return Convert.ToInt32(count.ExecuteScalar());
    }

    static long PeakWorkingSet()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb) ? kb * 1024 : -1;
    }
}
