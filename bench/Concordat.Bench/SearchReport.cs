using System.Text;

namespace Concordat.Bench;

/// <summary>bench/SEARCH-RESULTS.md: the figures of one search benchmark run, and the issue's targets against them.</summary>
static class SearchReport
{
    public static string Label(SearchPath path) => path switch
    {
        SearchPath.RawLucene => "(2) raw Lucene query (text field, top 20)",
        SearchPath.AppSearch => "(1b) AgreementSearch in-process (admin)",
        SearchPath.AppSearchRows => "(1c) AgreementSearch + SearchRows (admin)",
        SearchPath.HttpAdmin => "(1) HTTP GET /api/v1/search, administrator",
        SearchPath.HttpPartner => "(1) HTTP GET /api/v1/search, partner",
        _ => "(3) SQLite FTS5 bm25 (top 20 + count)",
    };

    public static string Render(SearchRun run)
    {
        var o = run.Options;
        var m = run.Machine;
        var textMb = Units.MB(run.TextBytes);
        var sb = new StringBuilder();
        sb.AppendLine("# Search benchmark results");
        sb.AppendLine();
        sb.AppendLine($"Written by the benchmark on {run.Started:yyyy-MM-dd HH:mm zzz}{Commit()}. Re-run with:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(o.Command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("## Machine");
        sb.AppendLine();
        sb.AppendLine($"- CPU: {m.Cpu}, `nproc` = {m.Cores}; memory {m.Memory}");
        sb.AppendLine($"- .NET: {m.Runtime} on {m.Os}, {m.Gc} GC, {(m.Optimized ? "Release build" : "**not a Release build**")}");
        sb.AppendLine($"- Storage (SQLite files, Lucene index): {m.TempStorage}");
        sb.AppendLine($"- Load average (1 min) at the start and end: {m.LoadAverage} / {MachineInfo.ReadLoadAverage()}");
        sb.AppendLine();
        sb.AppendLine("## Corpus");
        sb.AppendLine();
        sb.AppendLine($"- **{run.Agreements:N0} agreements**, {run.Files:N0} files ({(double)run.Files / run.Agreements:0.00} per agreement), {run.Pages:N0} pages of {SearchCorpus.CharsPerPage:N0} characters " +
                      $"({SearchCorpus.MinPages}–{SearchCorpus.MaxPages} per file): **{textMb:N0} MB of extracted text** (UTF-8). Generated deterministically (`SearchCorpus`, seed {SearchCorpus.Seed}) " +
                      "between the organisations the app seeds (the 33 London boroughs lead; fire, police, ambulance, NHS, probation, housing and voluntary bodies as parties), " +
                      "with clause text from pools about purposes, data items, legislation, security, retention, breaches, rights, roles and review, plus names, case numbers, dates and postcodes.");
        sb.AppendLine($"- Record: 10 scenarios (title, purpose, powers, themes, subjects), type, status (one in ten a draft), sensitivities, lawful bases, dates, visibility 70% public / 20% partners / 10% parties only. " +
                      $"The rare term `{SearchCorpus.RareWord}` is planted in one agreement in {SearchCorpus.RareEvery}.");
        sb.AppendLine($"- Loaded straight into the app's database through its `ConcordatDb` (agreements, parties, flows, files, versions and `FileText` rows, {50} agreements a `SaveChanges`; the app's outbox interceptor wrote one `SearchOutbox` row per agreement): " +
                      $"generation {run.Generate.TotalSeconds:0.0} s, database inserts {run.DatabaseLoad.TotalSeconds:0.0} s. No PDFs: extraction is not what is measured here. SQLite database {Units.MB(run.DatabaseBytes):N0} MB.");
        sb.AppendLine();
        sb.AppendLine("## Index");
        sb.AppendLine();
        sb.AppendLine("| | figure |");
        sb.AppendLine("|---|---:|");
        sb.AppendLine($"| Indexing: `SearchIndex.ApplyPendingAsync` over {run.OutboxApplied:N0} outbox rows (load each agreement, its text rows, build and add the document, commit every 500) | {run.Indexing.TotalSeconds:0.0} s |");
        sb.AppendLine($"| **Indexing throughput** (extracted text ÷ that time) | **{textMb / run.Indexing.TotalSeconds:0.0} MB/s** ({run.Agreements / run.Indexing.TotalSeconds:0} agreements/s) |");
        sb.AppendLine($"| Lucene index on disk ({run.IndexSegments} segments, not force-merged) | {Units.MB(run.IndexBytes):N0} MB |");
        sb.AppendLine($"| **Index ÷ extracted text** | **{(double)run.IndexBytes / run.TextBytes:0.00}x** |");
        sb.AppendLine($"| FTS5 file (contentless `fts5(text, tokenize='porter unicode61')` + facet table), build incl. optimize | {Units.MB(run.FtsBytes):N0} MB ({(double)run.FtsBytes / run.TextBytes:0.00}x the text), {run.FtsLoad.TotalSeconds:0.0} s ({textMb / run.FtsLoad.TotalSeconds:0.0} MB/s) |");
        sb.AppendLine();
        sb.AppendLine($"## Query latency ({o.Reps} timed rounds of the {run.Mix.Count}-query mix per path, after {o.WarmUp} warm-up rounds; one query at a time)");
        sb.AppendLine();
        sb.AppendLine("Milliseconds as p50 / p95 / p99 (nearest rank); q/s = queries per second of one client running them back to back. Hits: total matches reported by HTTP (administrator) / raw Lucene / FTS5.");
        sb.AppendLine();
        sb.AppendLine("| query | hits | HTTP, admin (1) | q/s | raw Lucene (2) | q/s | FTS5 (3) | q/s | HTTP ÷ raw (p95) | FTS5 ÷ raw (p95) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var q in run.Mix)
        {
            var (h, r, f) = (run.Get(SearchPath.HttpAdmin, q), run.Get(SearchPath.RawLucene, q), run.Get(SearchPath.Fts5, q));
            sb.AppendLine($"| {q.Name} | {h.Hits:N0} / {r.Hits:N0} / {f.Hits:N0} | {Ps(h)} | {h.QueriesPerSecond:N0} | {Ps(r)} | {r.QueriesPerSecond:N0} | {Ps(f)} | {f.QueriesPerSecond:N0} | " +
                          $"{h.P(0.95) / r.P(0.95):0.0}x | {f.P(0.95) / r.P(0.95):0.0}x |");
        }
        sb.AppendLine($"| **whole mix** | | {Pooled(run, SearchPath.HttpAdmin)} | {Qps(run, SearchPath.HttpAdmin):N0} | {Pooled(run, SearchPath.RawLucene)} | {Qps(run, SearchPath.RawLucene):N0} | {Pooled(run, SearchPath.Fts5)} | {Qps(run, SearchPath.Fts5):N0} | | |");
        sb.AppendLine();
        sb.AppendLine("Where the end-to-end time goes, and the same search as a partner (visibility labels in the query):");
        sb.AppendLine();
        sb.AppendLine("| query | AgreementSearch in-process (1b) | + SearchRows, snippets (1c) | HTTP, admin (1) | HTTP, partner (1) | partner hits |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var q in run.Mix)
            sb.AppendLine($"| {q.Name} | {Ps(run.Get(SearchPath.AppSearch, q))} | {Ps(run.Get(SearchPath.AppSearchRows, q))} | {Ps(run.Get(SearchPath.HttpAdmin, q))} | {Ps(run.Get(SearchPath.HttpPartner, q))} | {run.Get(SearchPath.HttpPartner, q).Hits:N0} |");
        sb.AppendLine($"| **whole mix** | {Pooled(run, SearchPath.AppSearch)} | {Pooled(run, SearchPath.AppSearchRows)} | {Pooled(run, SearchPath.HttpAdmin)} | {Pooled(run, SearchPath.HttpPartner)} | |");
        sb.AppendLine();
        sb.AppendLine("## Memory");
        sb.AppendLine();
        sb.AppendLine("The app runs inside the benchmark process (`WebApplicationFactory` with Kestrel), so these are the server's figures plus the benchmark's own (client, corpus generator, FTS5 connection):");
        sb.AppendLine();
        sb.AppendLine($"- Working set after the HTTP runs (after a full GC): **{Units.MB(run.WorkingSetAfterHttp):N0} MB**; managed heap {Units.MB(run.ManagedHeapAfterHttp):N0} MB");
        sb.AppendLine($"- Working set at the end (after FTS5): {Units.MB(run.WorkingSetAtEnd):N0} MB; peak working set of the whole run (includes generating and loading the corpus): {Units.MB(run.PeakWorkingSet):N0} MB");
        sb.AppendLine();
        sb.AppendLine("## Against the issue's targets");
        sb.AppendLine();
        sb.AppendLine(Targets(run));
        sb.AppendLine();
        sb.AppendLine("## Method");
        sb.AppendLine();
        sb.AppendLine("- The query mix: five queries (rare term, common term, two-word phrase, three terms, prefix), each bare, with one facet filter (`status=active`) and with three (`status=active`, `sensitivity=special-category`, `organisationType=police`), facet counts always on in the app. Every path runs the same 15 queries in the same order, round after round.");
        sb.AppendLine("- **(1) HTTP**: the real app (`WebApplicationFactory<Program>`, Kestrel on loopback), `GET /api/v1/search?q=…&pageSize=20&<facet>=…` with a bearer token from `concordat token create` (run in-process), whole JSON body read. " +
                      $"As a framework administrator (no visibility labels) and as a partner, {run.PartnerDescription} (labels in the query). Includes auth, the viewer load, the index catch-up check, the query with facet counts for all 12 facets, the result rows from the database and snippets highlighted from the text of the 20 hits.");
        sb.AppendLine("- **(1b)/(1c)**: the same as (1) without HTTP: a DI scope per query, `AgreementSearch.SearchAsync` as the administrator, and (1c) then `SearchRows.LoadAsync` (rows + snippets).");
        sb.AppendLine("- **(2) raw Lucene**: on the same live index via `SearchIndex.Acquire()`: the query on the file-text field only (`TermQuery`/`BooleanQuery` of analysed words, `PhraseQuery`, `PrefixQuery`), facet filters as constant-score term filters, `TopScoreDocCollector` top 20 with total hits. No labels, no facet counts, no other fields, no stored fields loaded.");
        sb.AppendLine("- **(3) FTS5**: a separate SQLite file with a contentless FTS5 table (porter stemming) holding the same file text, one row per agreement; `SELECT rowid … WHERE docs MATCH $q ORDER BY rank LIMIT 20` (bm25) and `SELECT count(*) …`, facet filters as `+rowid IN (SELECT agreement FROM facet WHERE facet=… AND value=…)` over an index (the `+` keeps SQLite from driving the query from the facet rows and re-running the MATCH per row, which cost seconds per phrase query in a first run).");
        sb.AppendLine("- The app's background indexer is taken out for the run (so indexing can be timed); the index is brought up to date once by the app's own `ApplyPendingAsync` and nothing writes after that.");
        return sb.ToString();
    }

    static string Ps(Samples s) => $"{s.P(0.5):0.00} / {s.P(0.95):0.00} / {s.P(0.99):0.00}";

    static double[] All(SearchRun run, SearchPath path) => run.Mix.SelectMany(q => run.Get(path, q).Ms).Order().ToArray();

    static string Pooled(SearchRun run, SearchPath path)
    {
        var all = All(run, path);
        return $"{Stats.Percentile(all, 0.5):0.00} / {Stats.Percentile(all, 0.95):0.00} / {Stats.Percentile(all, 0.99):0.00}";
    }

    static double Qps(SearchRun run, SearchPath path)
    {
        var all = All(run, path);
        return all.Length / (all.Sum() / 1000.0);
    }

    static string Targets(SearchRun run)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"The issue sets its targets at **100,000 agreements**; this run has **{run.Agreements:N0}**, so a target met here is not yet shown at 100,000 (latencies that grow with the number of matches will grow about {100_000.0 / run.Agreements:0}x in matches), and a target missed here will be missed there too unless the cause is a fixed cost.");
        sb.AppendLine();
        sb.AppendLine("| target (at 100,000) | this run | |");
        sb.AppendLine("|---|---|---|");
        var httpAdminWorst = run.Mix.Max(q => run.Get(SearchPath.HttpAdmin, q).P(0.95));
        var httpPartnerWorst = run.Mix.Max(q => run.Get(SearchPath.HttpPartner, q).P(0.95));
        var worst = Math.Max(httpAdminWorst, httpPartnerWorst);
        sb.AppendLine($"| HTTP p95 ≤ 50 ms for every query of the mix, facet counts on | worst query p95 {httpAdminWorst:0.0} ms (admin), {httpPartnerWorst:0.0} ms (partner) | {Verdict(worst <= 50)} |");
        var ratios = run.Mix.Select(q => (q.Name, Ratio: run.Get(SearchPath.HttpAdmin, q).P(0.95) / run.Get(SearchPath.RawLucene, q).P(0.95))).ToList();
        var within = ratios.Count(r => r.Ratio <= 1.5);
        sb.AppendLine($"| end to end ≤ 1.5x the raw Lucene query (p95) | {within} of {ratios.Count} queries within; ratios {ratios.Min(r => r.Ratio):0.0}x–{ratios.Max(r => r.Ratio):0.0}x (median {Stats.Median(ratios.Select(r => r.Ratio)):0.0}x) | {Verdict(within == ratios.Count)} |");
        foreach (var (kind, factor) in new[] { ("common term", 10.0), ("prefix", 10.0), ("two-word phrase", 5.0) })
        {
            var qs = run.Mix.Where(q => q.Kind == kind).ToList();
            var raw = qs.Select(q => run.Get(SearchPath.Fts5, q).P(0.95) / run.Get(SearchPath.RawLucene, q).P(0.95)).ToList();
            var app = qs.Select(q => run.Get(SearchPath.Fts5, q).P(0.95) / run.Get(SearchPath.HttpAdmin, q).P(0.95)).ToList();
            sb.AppendLine($"| Lucene ≥ {factor:0}x faster than FTS5, {kind} (p95) | FTS5 ÷ raw Lucene {string.Join(" / ", raw.Select(x => $"{x:0.0}x"))} (bare / 1 / 3 facets); FTS5 ÷ the whole app over HTTP {string.Join(" / ", app.Select(x => $"{x:0.00}x"))} | {Verdict(raw.All(x => x >= factor))} (raw) |");
        }
        var ratio = (double)run.IndexBytes / run.TextBytes;
        sb.AppendLine($"| index ≤ 0.5x the extracted text | {ratio:0.00}x ({Units.MB(run.IndexBytes):N0} MB for {Units.MB(run.TextBytes):N0} MB) | {Verdict(ratio <= 0.5)} |");
        sb.AppendLine($"| server memory < 500 MB | working set {Units.MB(run.WorkingSetAfterHttp):N0} MB after the HTTP runs (whole benchmark process) | {Verdict(Units.MB(run.WorkingSetAfterHttp) < 500)} |");
        var mbs = Units.MB(run.TextBytes) / run.Indexing.TotalSeconds;
        sb.AppendLine($"| indexing ≥ 10 MB of text/s | {mbs:0.0} MB/s | {Verdict(mbs >= 10)} |");
        return sb.ToString().TrimEnd();
    }

    static string Verdict(bool met) => met ? "met here" : "**missed**";

    static string Commit()
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "rev-parse --short HEAD")
                { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null) return "";
            var head = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && head.Length > 0 ? $" from commit {head} (plus any uncommitted changes)" : "";
        }
        catch (System.ComponentModel.Win32Exception) { return ""; }
    }
}
