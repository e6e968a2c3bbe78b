using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Bench;

// Export benchmark (issue 5, "streamed so a 100,000-row export uses constant memory"): agreement records loaded straight
// into the app's database (the search corpus without file text: the export holds records, not words), indexed by the
// app's own SearchIndex.ApplyPendingAsync (the export is chosen by the index, as a search is), then
// GET /api/v1/export/agreements.csv, .json and .jsonl over loopback HTTP at each size while the process's memory is
// sampled. Writes the "Export memory (issue 5)" section of bench/RESULTS.md.
//
//   dotnet run -c Release --project bench/Concordat.Bench -- export --sizes 10000,100000
//
// Options: --sizes A,B,... (register sizes in ascending order; the database grows from one to the next; default
// 10000,100000), --reps N (timed downloads per format and size, default 2), --results PATH (default bench/RESULTS.md),
// --no-write.

sealed record ExportOptions(int[] Sizes, int Reps, bool Write, string? ResultsPath, string[] Args)
{
    public static ExportOptions Parse(string[] args)
    {
        int[] sizes = [10_000, 100_000];
        var reps = 2;
        var write = true;
        string? results = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--sizes":
                    sizes = Value().Split(',').Select(v => int.TryParse(v, out var n) && n is >= 10 and <= 1_000_000 ? n : throw new ArgumentException("--sizes takes numbers from 10 to 1000000, comma-separated")).ToArray();
                    if (!sizes.SequenceEqual(sizes.Order().Distinct())) throw new ArgumentException("--sizes must be in ascending order");
                    break;
                case "--reps": reps = int.TryParse(Value(), out var r) && r >= 1 ? r : throw new ArgumentException("--reps must be at least 1"); break;
                case "--no-write": write = false; break;
                case "--results": results = Path.GetFullPath(Value()); break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }
        }
        return new ExportOptions(sizes, reps, write, results, args);
    }

    public string Command => "dotnet run -c Release --project bench/Concordat.Bench -- export " +
                             (Args.Contains("--sizes") ? string.Join(' ', Args) : string.Join(' ', new[] { "--sizes", string.Join(',', Sizes) }.Concat(Args)));
}

/// <summary>One download: its size and time, and the process's memory while it ran, relative to a collected heap just before.</summary>
/// <param name="PeakHeap">Highest GC.GetTotalMemory(false) above the baseline: live objects plus garbage not yet collected.</param>
/// <param name="PeakHeapAfterGc">Largest heap a collection during the download left behind (GCMemoryInfo.HeapSizeBytes), above the baseline: what was kept alive.</param>
/// <param name="MedianHeapAfterGc">The median of the heaps the collections seen by the sampler left behind, above the baseline: the usual live set.</param>
/// <param name="Retained">Heap above the baseline after the download and a full collection: what the export left behind.</param>
sealed record ExportSample(string Format, int Size, int Rows, long Bytes, TimeSpan Elapsed, TimeSpan FirstByte, long Allocated, long PeakHeap,
    long PeakHeapAfterGc, long MedianHeapAfterGc, long PeakWorkingSet, long Retained, int Gen0, int Gen1, int Gen2, int Samples);

static class ExportBench
{
    const int LoadBatch = 500;
    static readonly string[] Formats = ["csv", "json", "jsonl"];

    public static async Task<int> RunAsync(string[] args)
    {
        ExportOptions options;
        try { options = ExportOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Concordat.Bench -- export [--sizes A,B,...] [--reps N] [--results PATH] [--no-write]");
            return 2;
        }
        var resultsPath = options.Write ? options.ResultsPath ?? ResultsFile.DefaultPath() : null;
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);

        var started = DateTimeOffset.Now;
        var machine = MachineInfo.Announce($"Concordat export benchmark: registers of {string.Join(" and ", options.Sizes.Select(s => s.ToString("N0")))} agreements, {options.Reps} timed downloads per format and size");

        // The indexer is taken out so that the benchmark applies the outbox itself, and knows the index is current.
        await using var app = new BenchApp(kestrel: true, searchIndexer: false);
        using var api = await app.AdminApiAsync();
        List<Organisation> organisations;
        await using (var scope = app.Services.CreateAsyncScope())
            organisations = await scope.ServiceProvider.GetRequiredService<ConcordatDb>().Organisations.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
        var corpus = new SearchCorpus(organisations, withText: false);

        var samples = new List<ExportSample>();
        var loading = new List<(int Size, TimeSpan Load, TimeSpan Index)>();
        var loaded = 0;
        foreach (var size in options.Sizes)
        {
            var load = Stopwatch.StartNew();
            for (; loaded < size; loaded += LoadBatch) await LoadAsync(app, corpus, loaded, Math.Min(LoadBatch, size - loaded));
            loaded = size;
            load.Stop();
            var index = await IndexAsync(app, size);
            loading.Add((size, load.Elapsed, index));
            Console.WriteLine($"Register of {size:N0}: loaded in {load.Elapsed.TotalSeconds:0.0} s (total), indexed in {index.TotalSeconds:0.0} s");

            // The first download of each format compiles its code; it is not counted.
            if (size == options.Sizes[0])
                foreach (var format in Formats) await DownloadAsync(api, format, size);
            for (var rep = 1; rep <= options.Reps; rep++)
                foreach (var format in Formats)
                {
                    var sample = await DownloadAsync(api, format, size);
                    samples.Add(sample);
                    Console.WriteLine($"  {format,-5} {size,8:N0} rows  {Units.MB(sample.Bytes),7:0.0} MB  {sample.Elapsed.TotalSeconds,6:0.00} s  " +
                                      $"{sample.Rows / sample.Elapsed.TotalSeconds,7:N0} rows/s  allocated {Units.MB(sample.Allocated),7:0} MB  " +
                                      $"peak heap +{Units.MB(sample.PeakHeap),6:0.0} MB (after GC +{Units.MB(sample.PeakHeapAfterGc),5:0.0} MB)  " +
                                      $"working set +{Units.MB(sample.PeakWorkingSet),6:0.0} MB  retained {Units.MB(sample.Retained),5:0.0} MB");
                }
        }

        var databaseBytes = new FileInfo(app.DatabasePath).Length + (File.Exists(app.DatabasePath + "-wal") ? new FileInfo(app.DatabasePath + "-wal").Length : 0);
        var report = Render(options, machine, MachineInfo.ReadLoadAverage(), started, loading, databaseBytes, samples);
        Console.WriteLine();
        Console.WriteLine(report);
        if (resultsPath is not null)
        {
            await ResultsFile.WriteSectionAsync(resultsPath, "export", report);
            Console.WriteLine($"Wrote the export section of {resultsPath}");
        }
        return 0;
    }

    /// <summary>Generated agreements (parties, flows, files, versions; no text) through the app's DbContext; its outbox interceptor writes one SearchOutbox row each.</summary>
    static async Task LoadAsync(BenchApp app, SearchCorpus corpus, int start, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        for (var i = start; i < start + count; i++) db.Agreements.Add(corpus.Next(i).Agreement);
        await db.SaveChangesAsync();
    }

    /// <summary>SearchIndex.ApplyPendingAsync over every outbox row, checked: the export asks the index which agreements match.</summary>
    static async Task<TimeSpan> IndexAsync(BenchApp app, int size)
    {
        var index = app.Services.GetRequiredService<SearchIndex>();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var clock = Stopwatch.StartNew();
        await index.ApplyPendingAsync(db, CancellationToken.None);
        clock.Stop();
        var last = await db.SearchOutbox.MaxAsync(e => (long?)e.Id) ?? 0;
        var agreements = await db.Agreements.CountAsync();
        var searcher = index.Acquire();
        try
        {
            if (index.AppliedSequence != last || searcher.IndexReader.NumDocs != size || agreements != size)
                throw new InvalidOperationException($"Expected {size} agreements indexed; the database holds {agreements}, the index {searcher.IndexReader.NumDocs}, applied {index.AppliedSequence} of {last}.");
        }
        finally { index.Release(searcher); }
        return clock.Elapsed;
    }

    /// <summary>
    /// GET /api/v1/export/agreements.{format} read as it arrives into a counting sink (nothing kept), rows counted from the
    /// bytes, memory sampled on its own thread. The administrator sees every agreement, so every format must hold them all.
    /// </summary>
    static async Task<ExportSample> DownloadAsync(HttpClient api, string format, int expected)
    {
        IngestBench.Settle();
        var baseHeap = GC.GetTotalMemory(false);
        var baseWorkingSet = MemorySampler.WorkingSet();
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocatedBefore = GC.GetTotalAllocatedBytes(true);
        var counter = new RowCounter(format);
        long bytes = 0;
        TimeSpan firstByte = default, elapsed;
        using (var sampler = MemorySampler.Start())
        {
            var clock = Stopwatch.StartNew();
            using var response = await api.GetAsync($"/api/v1/export/agreements.{format}", HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"GET agreements.{format}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                if (bytes == 0) firstByte = clock.Elapsed;
                counter.Add(buffer.AsSpan(0, read));
                bytes += read;
            }
            elapsed = clock.Elapsed;
            sampler.Stop();
            var allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
            var gcs = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
            IngestBench.Settle();
            var retained = GC.GetTotalMemory(false) - baseHeap;

            var rows = counter.Rows;
            if (rows != expected || counter.Total is { } total && total != expected)
                throw new InvalidOperationException($"agreements.{format}: {rows} rows{(counter.Total is { } t ? $", total {t}" : "")}, expected {expected}.");
            return new ExportSample(format, expected, rows, bytes, elapsed, firstByte, allocated, sampler.PeakHeap - baseHeap,
                Math.Max(0, sampler.PeakHeapAfterGc - baseHeap), Math.Max(0, sampler.MedianHeapAfterGc - baseHeap), sampler.PeakWorkingSet - baseWorkingSet, retained, gcs.Item1, gcs.Item2, gcs.Item3, sampler.Count);
        }
    }

    /// <summary>Samples the managed heap, the heap the last collection left and the working set every 10 ms on a thread of its own (not the busy thread pool).</summary>
    sealed class MemorySampler : IDisposable
    {
        static readonly long PageSize = Environment.SystemPageSize;
        readonly Thread _thread;
        readonly long _gcIndexAtStart = GC.GetGCMemoryInfo().Index;
        readonly Dictionary<long, long> _afterGc = [];
        volatile bool _stop;
        public long PeakHeap, PeakWorkingSet;
        public int Count;
        public long PeakHeapAfterGc => _afterGc.Count == 0 ? 0 : _afterGc.Values.Max();
        public long MedianHeapAfterGc => _afterGc.Count == 0 ? 0 : (long)Stats.Median(_afterGc.Values.Select(v => (double)v));

        MemorySampler()
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "memory sampler" };
            _thread.Start();
        }

        public static MemorySampler Start() => new();

        void Run()
        {
            while (!_stop)
            {
                Sample();
                Thread.Sleep(10);
            }
        }

        void Sample()
        {
            PeakHeap = Math.Max(PeakHeap, GC.GetTotalMemory(false));
            var info = GC.GetGCMemoryInfo();
            if (info.Index > _gcIndexAtStart) _afterGc.TryAdd(info.Index, info.HeapSizeBytes);
            PeakWorkingSet = Math.Max(PeakWorkingSet, WorkingSet());
            Count++;
        }

        /// <summary>Resident set size from /proc/self/statm (second field, in pages): cheaper than Process, which would allocate per sample.</summary>
        public static long WorkingSet()
        {
            var statm = File.ReadAllText("/proc/self/statm");
            var start = statm.IndexOf(' ') + 1;
            return long.Parse(statm.AsSpan(start, statm.IndexOf(' ', start) - start), CultureInfo.InvariantCulture) * PageSize;
        }

        public void Stop()
        {
            _stop = true;
            _thread.Join();
            Sample(); // the end state too, in case the download was shorter than a sampling interval
        }

        public void Dispose()
        {
            if (!_stop) Stop();
        }
    }

    /// <summary>
    /// Counts records as the bytes stream past: CSV records (line ends outside quotes) less the header, JSON Lines lines,
    /// and the objects directly inside the JSON "items" array (string-aware), whose "total" is read from the tail.
    /// </summary>
    sealed class RowCounter(string format)
    {
        long _records;
        int _depth;
        bool _inString, _escaped;
        readonly Queue<byte> _tail = new();

        public int Rows => (int)(format == "csv" ? _records - 1 : _records);
        public int? Total => format == "json" && Regex.Match(Encoding.UTF8.GetString(_tail.ToArray()), "\"total\"\\s*:\\s*(\\d+)") is { Success: true } m
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

        public void Add(ReadOnlySpan<byte> bytes)
        {
            switch (format)
            {
                case "jsonl": _records += bytes.Count((byte)'\n'); break;
                case "csv":
                    foreach (var b in bytes)
                    {
                        if (b == '"') _inString = !_inString; // a doubled quote toggles twice
                        else if (b == '\n' && !_inString) _records++;
                    }
                    break;
                default:
                    foreach (var b in bytes)
                    {
                        if (_inString)
                        {
                            if (_escaped) _escaped = false;
                            else if (b == '\\') _escaped = true;
                            else if (b == '"') _inString = false;
                        }
                        else if (b == '"') _inString = true;
                        else if (b is (byte)'{' or (byte)'[')
                        {
                            if (b == '{' && _depth == 2) _records++; // root object, items array, then each item
                            _depth++;
                        }
                        else if (b is (byte)'}' or (byte)']') _depth--;
                    }
                    foreach (var b in bytes[Math.Max(0, bytes.Length - 64)..])
                    {
                        _tail.Enqueue(b);
                        if (_tail.Count > 64) _tail.Dequeue();
                    }
                    break;
            }
        }
    }

    // ---------------------------------------------------------------- the report

    static string Render(ExportOptions options, MachineInfo machine, string loadAtEnd, DateTimeOffset started, List<(int Size, TimeSpan Load, TimeSpan Index)> loading,
        long databaseBytes, List<ExportSample> samples)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Export memory (issue 5)");
        sb.AppendLine();
        sb.AppendLine($"Written by the export benchmark on {started:yyyy-MM-dd HH:mm zzz}{ResultsFile.Commit()}. Re-run with:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(options.Command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine($"Machine: {machine.Cores} cores ({machine.Cpu}), {machine.Memory} RAM, {machine.Runtime} on {machine.Os}, {machine.Gc} GC, " +
                      $"{(machine.Optimized ? "Release build" : "**not a Release build**")}; storage {machine.TempStorage}; process nice {MachineInfo.ReadNice()}. " +
                      $"**Load average (1 min) at the start and end of the run: {machine.LoadAverage} / {loadAtEnd}** (anything well above 0 means other work shared the cores).");
        sb.AppendLine();
        sb.AppendLine($"Register: the search benchmark's generated agreements (`SearchCorpus`, seed {SearchCorpus.Seed}) without file text, between the organisations the app seeds: " +
                      "each with 1–4 parties, up to 2 data flows, 1–3 files with a version each, the full record (type, status, purpose, subjects, sensitivities, bases, powers, borough, themes, dates, visibility; one in ten a draft). " +
                      $"Loaded through the app's `ConcordatDb`, {LoadBatch} agreements a `SaveChanges`, then indexed by `SearchIndex.ApplyPendingAsync` (the app's background indexer off, so the index is known to be current): " +
                      string.Join("; ", loading.Select(l => $"{l.Size:N0} loaded in {l.Load.TotalSeconds:0} s and indexed in {l.Index.TotalSeconds:0} s")) +
                      $". The register grows from one size to the next in the same app; SQLite file at the end {Units.MB(databaseBytes):N0} MB.");
        sb.AppendLine();
        sb.AppendLine($"Each download: `GET /api/v1/export/agreements.{{csv,json,jsonl}}` with the administrator's bearer token (who sees every agreement), over Kestrel on loopback, read as it arrives into a counting sink; " +
                      $"rows counted from the bytes and checked against the register (JSON's `total` too). " +
                      (options.Reps == 1
                          ? "1 timed download per format and size, after one untimed download of each format; time and memory are that download's (one sample each, so noisier than a median). "
                          : $"{options.Reps} timed downloads per format and size, after one untimed download of each format; time is the median, memory the highest of the downloads. ") +
                      "Memory is the whole process (server and client are one process), measured from a collected heap just before each download, sampled every 10 ms on a thread of its own.");
        sb.AppendLine();
        sb.AppendLine("| Format | Rows | MB | s | Rows/s | MB/s | First byte, s | Allocated MB (KB/row) | Peak heap above baseline, MB | Heap left by a GC, median / max, MB | Peak working set above baseline, MB | GCs 0/1/2 | Retained after, MB |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
        var rows = samples.GroupBy(s => (s.Format, s.Size)).OrderBy(g => Array.IndexOf(Formats, g.Key.Format)).ThenBy(g => g.Key.Size)
            .Select(g => (g.Key.Format, g.Key.Size, Seconds: Stats.Median(g.Select(s => s.Elapsed.TotalSeconds)), Bytes: g.Max(s => s.Bytes), FirstByte: Stats.Median(g.Select(s => s.FirstByte.TotalSeconds)),
                Allocated: Stats.Median(g.Select(s => (double)s.Allocated)), PeakHeap: g.Max(s => s.PeakHeap), AfterGc: g.Max(s => s.PeakHeapAfterGc),
                MedianAfterGc: g.Max(s => s.MedianHeapAfterGc),
                WorkingSet: g.Max(s => s.PeakWorkingSet), Gcs: string.Join(", ", g.Select(s => $"{s.Gen0}/{s.Gen1}/{s.Gen2}")), Retained: g.Max(s => s.Retained)))
            .ToList();
        foreach (var r in rows)
            sb.AppendLine($"| {r.Format} | {r.Size:N0} | {Units.MB(r.Bytes):0.0} | {r.Seconds:0.00} | {r.Size / r.Seconds:N0} | {Units.MB(r.Bytes) / r.Seconds:0.0} | {r.FirstByte:0.00} | " +
                          $"{Units.MB((long)r.Allocated):N0} ({r.Allocated / 1024 / r.Size:0.0}) | {Units.MB(r.PeakHeap):0.0} | {Units.MB(r.MedianAfterGc):0.0} / {Units.MB(r.AfterGc):0.0} | {Units.MB(r.WorkingSet):0.0} | {r.Gcs} | {Units.MB(r.Retained):0.0} |");
        sb.AppendLine();
        if (options.Sizes.Length >= 2)
        {
            var (small, large) = (options.Sizes[0], options.Sizes[^1]);
            sb.AppendLine($"From {small:N0} to {large:N0} rows ({(double)large / small:0}x):");
            sb.AppendLine();
            foreach (var format in Formats)
            {
                var a = rows.Single(r => r.Format == format && r.Size == small);
                var b = rows.Single(r => r.Format == format && r.Size == large);
                double Ratio(double x, double y) => y <= 0 ? double.NaN : x / y;
                var flat = b.PeakHeap <= 2 * a.PeakHeap + 16 * 1024 * 1024 && b.WorkingSet <= 2 * a.WorkingSet + 16 * 1024 * 1024;
                sb.AppendLine($"- **{format}**: time {Ratio(b.Seconds, a.Seconds):0.0}x, allocations {Ratio(b.Allocated, a.Allocated):0.0}x, " +
                              $"peak heap {Units.MB(a.PeakHeap):0} → {Units.MB(b.PeakHeap):0} MB, heap left by a GC {Units.MB(a.MedianAfterGc):0} → {Units.MB(b.MedianAfterGc):0} MB at the median " +
                              $"({Units.MB(a.AfterGc):0} → {Units.MB(b.AfterGc):0} MB at most), " +
                              $"working set {Units.MB(a.WorkingSet):0} → {Units.MB(b.WorkingSet):0} MB above the baseline: " +
                              (flat ? "**memory stays flat while allocations grow with the rows** (constant memory)." : "**memory grows with the rows** (not constant)."));
            }
            sb.AppendLine();
        }
        sb.AppendLine("Reading the columns: *allocated* is `GC.GetTotalAllocatedBytes(true)` across the download, for the whole process (the export, the HTTP client reading it, the sampler); " +
                      "*peak heap* is the highest `GC.GetTotalMemory(false)` above the collected baseline, so it includes garbage the server GC has not yet collected (its budget, not the export's holding); " +
                      "*heap left by a GC* is `GCMemoryInfo.HeapSizeBytes` of the collections the sampler saw during the download, above the baseline: what was alive, " +
                      "the median the usual live set, the maximum whichever collection caught the most in flight (it varies from run to run); " +
                      "*retained after* is the heap above the baseline after the download and a full collection. " +
                      "\"Flat\" above means the peak heap and the peak working set at the largest size are both within twice those at the smallest plus 16 MB. " +
                      "CSV is downloaded first at each size, so whatever is read once for a larger register (caches that then stay) shows in its first download's *retained after*.");
        return sb.ToString();
    }
}
