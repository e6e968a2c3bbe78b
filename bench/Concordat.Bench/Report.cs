using System.Diagnostics;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using Concordat.Documents;

namespace Concordat.Bench;

sealed class Report(Corpus corpus, IReadOnlyList<PassResult> runs, ProfileResult? profile, bool kestrel)
{
    public const double Target = 1.3;

    public Corpus Corpus => corpus;
    public IReadOnlyList<PassResult> Runs => runs;
    public ProfileResult? Profile => profile;
    public bool Kestrel => kestrel;
    public int Reps => runs.Max(r => r.Rep);

    public static string Label(BenchPath path, bool kestrel) => path switch
    {
        BenchPath.Raw => "Raw extraction (detect + extract)",
        BenchPath.Http => kestrel ? "Upload, HTTP API (Kestrel loopback)" : "Upload, HTTP API (TestServer)",
        _ => "Upload, in-process FileUploader",
    };

    public double Median(BenchPath path) => Stats.Median(runs.Where(r => r.Path == path).Select(r => r.Elapsed.TotalSeconds));

    public double Ratio(BenchPath path) => Median(path) / Median(BenchPath.Raw);

    /// <summary>Upload time over raw time within each repetition (the passes of one repetition ran back to back).</summary>
    public IEnumerable<double> PairedRatios(BenchPath path) =>
        runs.Where(r => r.Path == path).OrderBy(r => r.Rep)
            .Select(r => r.Elapsed.TotalSeconds / runs.Single(x => x.Path == BenchPath.Raw && x.Rep == r.Rep).Elapsed.TotalSeconds);

    public string Table()
    {
        var mb = Units.MB(corpus.TotalBytes);
        var sb = new StringBuilder();
        sb.AppendLine($"| Path ({corpus.Files.Count} docs, {mb:0.0} MB, {corpus.TotalPages} pages) | Median s | Docs/s | Pages/s | MB/s | × raw | Runs (s) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var path in new[] { BenchPath.Raw, BenchPath.Http, BenchPath.InProcess })
        {
            var median = Median(path);
            var each = string.Join(" / ", runs.Where(r => r.Path == path).OrderBy(r => r.Rep).Select(r => r.Elapsed.TotalSeconds.ToString("0.00")));
            sb.AppendLine($"| {Label(path, kestrel)} | {median:0.00} | {corpus.Files.Count / median:0.0} | {corpus.TotalPages / median:0} | {mb / median:0.00} | {Ratio(path):0.00} | {each} |");
        }
        sb.AppendLine();
        sb.AppendLine($"Upload/raw ratio (median upload ÷ median raw): HTTP API **{Ratio(BenchPath.Http):0.00}x**, in-process **{Ratio(BenchPath.InProcess):0.00}x** " +
                      $"(target ≤ {Target:0.0}x). Paired per repetition: HTTP {Join(PairedRatios(BenchPath.Http))}; in-process {Join(PairedRatios(BenchPath.InProcess))}.");
        return sb.ToString().TrimEnd();

        static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("0.00")));
    }

    public string Interpretation()
    {
        var n = corpus.Files.Count;
        var raw = Median(BenchPath.Raw);
        var http = Median(BenchPath.Http);
        var inProcess = Median(BenchPath.InProcess);
        var httpRatio = Ratio(BenchPath.Http);
        var sb = new StringBuilder();
        sb.Append(httpRatio <= Target
            ? $"The upload path is within the {Target:0.0}x target: through the HTTP API it took {httpRatio:0.00}x the raw extraction time "
            : $"The upload path misses the {Target:0.0}x target: through the HTTP API it took {httpRatio:0.00}x the raw extraction time ");
        sb.Append($"({http:0.00} s against {raw:0.00} s for {n} documents, {Ms(http - raw, n)} ms more per document), " +
                  $"and in-process through FileUploader {Ratio(BenchPath.InProcess):0.00}x ({Ms(inProcess - raw, n)} ms more per document). ");
        var rawRun = runs.Where(r => r.Path == BenchPath.Raw).OrderBy(r => r.Elapsed).ElementAt(runs.Count(r => r.Path == BenchPath.Raw) / 2);
        sb.Append($"Extraction itself dominates the cost: raw, PdfPig's text extraction and the DOCX reader take {Ms(rawRun.Extract.TotalSeconds, n)} ms per document " +
                  $"and type detection {Ms(rawRun.Detect.TotalSeconds, n)} ms. ");
        if (profile is not null)
        {
            var h = profile.Http;
            var p = profile.InProcess;
            sb.Append($"In the instrumented pass the extra time of an HTTP upload splits into: blob commit (fsync + rename) {h.Commit:0.0} ms, " +
                      $"SaveChanges {h.Save:0.0} ms (of which the SQLite COMMIT {h.SqliteCommit:0.0} ms, journal_mode={profile.JournalMode}, synchronous={profile.Synchronous}), " +
                      $"staging copy + SHA-256 {h.Stage:0.0} ms, database reads {h.Reads:0.0} ms ({h.ReadCommands:0.0} queries: token check, agreement load as split queries, text dedup check), " +
                      $"client + transport {h.Outside:0.0} ms, and {h.Remainder - profile.RawDetectExtract:0.0} ms of server work beyond raw detect + extract " +
                      "(multipart parsing, which buffers the file to a temporary file before FileUploader copies it again, routing, auth, EF change tracking, JSON). ");
            var fixedCost = h.Commit + h.Save;
            sb.Append($"The fixed per-upload durability cost (blob fsync + database commit, {fixedCost:0.0} ms) matters most for small documents; " +
                      $"in-process the same stages cost {p.Commit:0.0} + {p.Save:0.0} ms. ");
        }
        sb.Append("Figures are for one upload at a time on this machine; the profile comes from a single instrumented pass, so its split is approximate.");
        return sb.ToString();

        static string Ms(double seconds, int count) => (seconds * 1000 / count).ToString("0.0");
    }
}

/// <summary>The instrumented passes, as milliseconds per document.</summary>
sealed class ProfileResult(int count, TimeSpan inProcessTotal, StageClock inProcess, TimeSpan httpTotal, StageClock http,
    IReadOnlyList<PassResult> rawRuns, bool kestrel)
{
    public sealed record Split(double Total, double Outside, double Stage, double Reads, double ReadCommands, double Remainder, double Commit, double Save, double SqliteCommit);

    public string Synchronous { get; } = IngestBench.SqliteSettings?.Synchronous ?? "?";
    public string JournalMode { get; } = IngestBench.SqliteSettings?.JournalMode ?? "?";

    public Split InProcess { get; } = Make(count, inProcessTotal, inProcess.Upload, inProcess);
    public Split Http { get; } = Make(count, httpTotal, http.Server, http);

    /// <summary>Detect + extract per document in the median raw pass.</summary>
    public double RawDetectExtract { get; } = Stats.Median(rawRuns.Select(r => (r.Detect + r.Extract).TotalMilliseconds)) / count;
    public double RawExtract { get; } = Stats.Median(rawRuns.Select(r => r.Extract.TotalMilliseconds)) / count;

    /// <param name="inner">the part timed inside: FileUploader.UploadAsync in-process, the server request over HTTP</param>
    static Split Make(int count, TimeSpan total, TimeSpan inner, StageClock c)
    {
        double Per(TimeSpan t) => t.TotalMilliseconds / count;
        var remainder = inner - c.BlobStage - c.DbRead - c.BlobCommit - c.DbSave;
        return new Split(Per(total), Per(total - inner), Per(c.BlobStage), Per(c.DbRead), c.ReadCommands / (double)count, Per(remainder),
            Per(c.BlobCommit), Per(c.DbSave), Per(c.DbCommit));
    }

    public string Table()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Stage, ms per document (one instrumented pass) | HTTP API | In-process |");
        sb.AppendLine("|---|---:|---:|");
        Row("Whole upload, as timed by the caller", Http.Total, InProcess.Total);
        Row(kestrel ? "Outside: HTTP client + loopback + Kestrel ⟂ / scope + agreement load" : "Outside: HTTP client + TestServer ⟂ / scope + agreement load",
            Http.Outside, InProcess.Outside);
        Row("Blob stage: stream to tmp file while hashing", Http.Stage, InProcess.Stage);
        Row($"Database reads ({Http.ReadCommands:0.#} / {InProcess.ReadCommands:0.#} queries per upload)", Http.Reads, InProcess.Reads);
        Row("Remainder: detect + extract (+ HTTP: multipart, routing, auth, JSON)", Http.Remainder, InProcess.Remainder);
        Row("Blob commit: fsync + rename", Http.Commit, InProcess.Commit);
        Row("SaveChanges (version, file, text, agreement)", Http.Save, InProcess.Save);
        Row("  of which SQLite COMMIT", Http.SqliteCommit, InProcess.SqliteCommit);
        sb.AppendLine($"| *Reference: raw detect + extract (median raw pass)* | *{RawDetectExtract:0.0}* | *{RawDetectExtract:0.0}* |");
        sb.AppendLine();
        sb.Append($"⟂ HTTP: round trip minus the server-side request time (first middleware to response). In-process: time outside FileUploader.UploadAsync. " +
                  $"SQLite journal_mode={JournalMode}, synchronous={Synchronous}.");
        return sb.ToString();

        void Row(string label, double a, double b) => sb.AppendLine($"| {label} | {a:0.0} | {b:0.0} |");
    }
}

static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

sealed record MachineInfo(int Cores, string Cpu, string Memory, string Runtime, string Os, string Gc, string TempStorage, bool Optimized)
{
    public string Summary => $"{Cores} cores, {Cpu}, {Memory} RAM, {Runtime}, {Gc} GC, temp on {TempStorage}";

    public static MachineInfo Collect()
    {
        var cpu = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                  ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKb = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var memory = long.TryParse(memKb, out var kb) ? $"{kb / 1024.0 / 1024.0:0.0} GiB" : "unknown";
        var gc = GCSettings.IsServerGC ? "server" : "workstation";
        return new MachineInfo(Environment.ProcessorCount, cpu, memory, RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription, gc, TempStorageDescription(), IsOptimized(typeof(Report).Assembly) && IsOptimized(typeof(Concordat.Agreements.FileUploader).Assembly));
    }

    static string TempStorageDescription()
    {
        // The longest mount point that contains the temp folder: where blobs, SQLite and staging files live.
        var temp = Path.GetFullPath(Path.GetTempPath());
        var mount = ReadLines("/proc/mounts").Select(l => l.Split(' ')).Where(p => p.Length >= 3)
            .Where(p => temp.StartsWith(p[1].EndsWith('/') ? p[1] : p[1] + "/", StringComparison.Ordinal) || temp == p[1])
            .OrderByDescending(p => p[1].Length).FirstOrDefault();
        return mount is null ? temp : $"{temp} ({mount[2]} on {mount[0]})";
    }

    static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    static IEnumerable<string> ReadLines(string path)
    {
        try { return File.ReadAllLines(path); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }
}

static class ResultsFile
{
    /// <summary>bench/RESULTS.md of the repository this benchmark was built from (found upwards from the working folder or the binary).</summary>
    public static string DefaultPath()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "bench", "Concordat.Bench", "Concordat.Bench.csproj")))
                    return Path.Combine(dir.FullName, "bench", "RESULTS.md");
            }
        }
        return Path.GetFullPath("RESULTS.md");
    }

    public static string Render(Report report, BenchOptions options, MachineInfo machine, DateTimeOffset started)
    {
        var corpus = report.Corpus;
        var pdf = corpus.Files.Where(f => f.Format == FileFormat.Pdf).ToList();
        var docx = corpus.Files.Where(f => f.Format == FileFormat.Docx).ToList();
        var sb = new StringBuilder();
        sb.AppendLine("# Ingest benchmark results");
        sb.AppendLine();
        sb.AppendLine($"Written by the benchmark on {started:yyyy-MM-dd HH:mm zzz}{Commit()}. Re-run with:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(options.Command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("## Machine");
        sb.AppendLine();
        sb.AppendLine($"- CPU: {machine.Cpu}, `nproc` = {machine.Cores}");
        sb.AppendLine($"- Memory: {machine.Memory}");
        sb.AppendLine($"- .NET: {machine.Runtime} on {machine.Os}, {machine.Gc} GC, {(machine.Optimized ? "Release build" : "**not a Release build**")}");
        sb.AppendLine($"- Storage for the blob folder, SQLite file and upload temp files: {machine.TempStorage}");
        if (report.Profile is { } p) sb.AppendLine($"- SQLite as the app runs it: journal_mode={p.JournalMode}, synchronous={p.Synchronous}");
        sb.AppendLine();
        sb.AppendLine("## Documents");
        sb.AppendLine();
        sb.AppendLine($"{corpus.Files.Count} generated agreements (`AgreementDocumentWriter` over `DemoDocuments.ForAgreement`, seed {Corpus.Seed}), " +
                      $"alternately PDF and DOCX, asked for {Corpus.MinPages}–{Corpus.MaxPages} pages spread evenly across both formats, uploaded in shuffled order:");
        sb.AppendLine();
        sb.AppendLine($"- {pdf.Count} PDF, {Units.MB(pdf.Sum(f => f.Bytes)):0.00} MB, {corpus.PdfPages} pages (page count reported by extraction, {pdf.Min(f => f.PdfEquivalentPages)}–{pdf.Max(f => f.PdfEquivalentPages)} per file)");
        sb.AppendLine($"- {docx.Count} DOCX, {Units.MB(docx.Sum(f => f.Bytes)):0.00} MB, about {corpus.DocxEstimatedPages} pages. A DOCX has no pages until a word processor lays it out " +
                      "and these record no page count, so this is an **estimate**: the pages of the same content written as PDF by the same generator.");
        sb.AppendLine($"- Total {Units.MB(corpus.TotalBytes):0.00} MB and {corpus.TotalPages} pages (PDF measured + DOCX estimated); pages/s below uses this total.");
        sb.AppendLine();
        sb.AppendLine($"## Results (median of {report.Reps} repetitions)");
        sb.AppendLine();
        sb.AppendLine(report.Table());
        sb.AppendLine();
        if (report.Profile is { } profile)
        {
            sb.AppendLine("## Where the upload time goes");
            sb.AppendLine();
            sb.AppendLine(profile.Table());
            sb.AppendLine();
        }
        sb.AppendLine("## Interpretation");
        sb.AppendLine();
        sb.AppendLine(report.Interpretation());
        sb.AppendLine();
        sb.AppendLine("## Method");
        sb.AppendLine();
        sb.AppendLine("- **Raw extraction**: `FileTypeDetector.Detect` + `TextExtractor.ExtractAsync` on each generated file, nothing else (no database, no blob store). Same `DocumentOptions` as the app (OCR off; the PDFs all have a text layer, so OCR would not run anyway).");
        sb.AppendLine($"- **HTTP API**: the real app (`WebApplicationFactory<Program>`, {(report.Kestrel ? "served by Kestrel on a loopback port" : "served by the in-memory TestServer")}) over a fresh SQLite file and blob folder, demo data off. " +
                      $"Token from `POST /api/v1/tokens` with the configured administrator, one draft agreement per {IngestBench.FilesPerAgreement} files via `POST /api/v1/agreements`, " +
                      "then every file `POST /api/v1/agreements/{id}/documents` as multipart (`kind`, `file` streamed from disk), one at a time. Includes HTTP, multipart parsing, auth, hashing, blob write + fsync + rename, the SQLite insert and the JSON response.");
        sb.AppendLine("- **In-process**: the same app and settings; per file a fresh DI scope, the agreement loaded with its files, then `FileUploader.UploadAsync` with a `FileStream` of the file. No HTTP.");
        sb.AppendLine($"- Every upload pass starts a fresh app (so no upload deduplicates against an earlier pass) and warms up on {report.Corpus.WarmUp.Count} extra documents before the clock starts; the raw path warms up on the same {report.Corpus.WarmUp.Count} once. " +
                      "Each pass is checked afterwards: one version, one text row and one blob per document. Repetitions alternate the order of the paths; the heap is collected before each timed pass. App logging is at Warning (the per-upload Information line is off).");
        sb.AppendLine("- The stage split comes from a separate instrumented pass of each upload path: the app's `IBlobStore` wrapped with timers, EF Core command / SaveChanges / transaction interceptors, and a first middleware timing the server side of each request. FileUploader itself is unmodified; its detect + extract time is the remainder.");
        return sb.ToString();
    }

    static string Commit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null) return "";
            var head = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && head.Length > 0 ? $" from commit {head} (plus any uncommitted changes)" : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
