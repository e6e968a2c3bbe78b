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
                      $"(target ≤ {Target:0.0}x). Paired within each repetition: HTTP {Join(PairedRatios(BenchPath.Http))} (median {Stats.Median(PairedRatios(BenchPath.Http)):0.00}); " +
                      $"in-process {Join(PairedRatios(BenchPath.InProcess))} (median {Stats.Median(PairedRatios(BenchPath.InProcess)):0.00}).");
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
        var paired = PairedRatios(BenchPath.Http).Concat(PairedRatios(BenchPath.InProcess)).ToList();
        var sb = new StringBuilder();
        sb.Append(httpRatio <= Target
            ? $"The upload path is within the {Target:0.0}x target: through the HTTP API it took {httpRatio:0.00}x the raw extraction time "
            : $"The upload path misses the {Target:0.0}x target: through the HTTP API it took {httpRatio:0.00}x the raw extraction time ");
        sb.Append($"({http:0.00} s against {raw:0.00} s for {n} documents, {Ms(http - raw, n)} ms more per document), " +
                  $"and in-process through FileUploader {Ratio(BenchPath.InProcess):0.00}x ({Ms(inProcess - raw, n)} ms more per document). ");
        sb.Append($"Raw extraction is quick on these generated files, {Ms(raw, n)} ms per document ({corpus.TotalPages / raw:0} pages/s), " +
                  "so the upload path's fixed per-file costs weigh heavily against it. ");
        if (profile is not null)
        {
            var h = profile.Http;
            var p = profile.InProcess;
            sb.Append($"In the instrumented pass, which times a raw extraction of each file next to its upload, an HTTP upload cost {h.Overhead:0.0} ms more than extracting " +
                      $"the same file ({h.Ratio:0.00}x; in-process {p.Overhead:0.0} ms, {p.Ratio:0.00}x). Largest first, that extra time is: ");
            var parts = new (string Name, double Ms)[]
            {
                ("the blob commit (rename)", h.Commit),
                ($"SaveChanges (its SQLite COMMIT, journal_mode={profile.JournalMode} with synchronous={profile.Synchronous}" +
                  (profile.Synchronous is "FULL" or "EXTRA" ? ", so a second fsync" : "") + $": {h.SqliteCommit:0.0} ms)", h.Save),
                ("middleware, routing, token authentication (token, user, lockout and claims look-ups) and loading the agreement, CPU only", h.PipelineCpu),
                ($"the {h.ReadCommands:0.#} queries of a request", h.Reads),
                ("HTTP client + loopback", h.Outside),
                ("staging the copy while hashing", h.Stage),
                ("reading the multipart form", h.FormRead),
                ("writing the response", h.After),
                ("untimed work inside FileUploader beyond the raw extraction", h.UploaderRest),
            };
            sb.Append(string.Join("; ", parts.Where(x => x.Ms >= 0.05).OrderByDescending(x => x.Ms).Select(x => $"{x.Name} {x.Ms:0.0} ms")));
            sb.Append($". The blob fsync ({h.Flush:0.0} ms) runs alongside extraction and mostly drops out of the critical path; what durability still adds in line " +
                      $"(rename + SaveChanges) is {h.Durability:0.0} ms per HTTP upload ({Share(h.Durability, h.Overhead)} of its overhead) " +
                      $"and {p.Durability:0.0} ms in-process ({Share(p.Durability, p.Overhead)}). ");
            sb.Append(Math.Abs(h.UploaderRest) < 0.25 * h.PairedRaw && Math.Abs(p.UploaderRest) < 0.25 * p.PairedRaw
                ? "Text extraction inside the upload costs about what raw extraction of the same file does. "
                : "The untimed remainder inside FileUploader is large, which means extraction ran at a different speed inside the upload than in the paired raw run: a sign of a busy machine. ");
        }
        if (paired.Count > 1)
            sb.Append($"Repetitions varied (paired upload/raw ratios {paired.Min():0.00}–{paired.Max():0.00}); the machine has {Environment.ProcessorCount} cores " +
                      "and may have been shared with other work, so the medians and the paired ratios are the figures to trust, not single runs. ");
        sb.Append("All figures are for one upload at a time.");
        return sb.ToString();

        static string Ms(double seconds, int count) => (seconds * 1000 / count).ToString("0.0");
        static string Share(double part, double whole) => whole > 0 && part <= whole ? $"{100 * part / whole:0}%" : "more than all of it";
    }
}

/// <summary>The instrumented passes, as milliseconds per document.</summary>
sealed class ProfileResult(int count, TimeSpan inProcessTotal, StageClock inProcess, TimeSpan httpTotal, StageClock http, bool kestrel)
{
    /// <param name="Outside">HTTP: round trip minus server time. In-process: scope + agreement load around UploadAsync.</param>
    /// <param name="Remainder">Inner time not in any timed stage: detect + extract, and over HTTP also multipart, routing, auth, JSON.</param>
    /// <param name="PairedRaw">Raw detect + extract of the same file just before each upload, same pass.</param>
    /// <param name="Before">Server time before FileUploader starts staging (HTTP: routing, auth, agreement load, multipart read).</param>
    /// <param name="InUploader">From staging start to the end of SaveChanges.</param>
    /// <param name="After">From the end of SaveChanges to the response (HTTP: DTO, JSON).</param>
    public sealed record Split(double Total, double Outside, double Stage, double Reads, double ReadCommands, double Remainder, double Commit,
        double Save, double SqliteCommit, double PairedRaw, double Before, double ReadsBefore, double InUploader, double After, double FormRead, double Flush,
        IReadOnlyList<StageClock.UploadSample> Samples)
    {
        public double Overhead => Total - PairedRaw;
        public double Ratio => Total / PairedRaw;
        public double Durability => Commit + Save;
        public double BeforeNotDb => Before - ReadsBefore;
        /// <summary>Routing, middleware, authentication and the agreement load, less their query time and the form read.</summary>
        public double PipelineCpu => Before - ReadsBefore - FormRead;
        /// <summary>Inside FileUploader, what no stage timer covers beyond the raw extraction of the same file.</summary>
        public double UploaderRest => InUploader - Stage - (Reads - ReadsBefore) - Commit - Save - PairedRaw;

        public string Spread(Func<StageClock.UploadSample, double> stage)
        {
            var values = Samples.Select(stage).OrderBy(v => v).ToArray();
            return values.Length == 0 ? "n/a"
                : $"{Stats.Percentile(values, 0.5):0.0} / {Stats.Percentile(values, 0.95):0.0} / {values[^1]:0.0}";
        }
    }

    public string Synchronous { get; } = IngestBench.SqliteSettings?.Synchronous ?? "?";
    public string JournalMode { get; } = IngestBench.SqliteSettings?.JournalMode ?? "?";

    public Split InProcess { get; } = Make(count, inProcessTotal, inProcess.Upload, inProcess);
    public Split Http { get; } = Make(count, httpTotal, http.Server, http);

    /// <param name="inner">the part timed inside: FileUploader.UploadAsync in-process, the server request over HTTP</param>
    static Split Make(int count, TimeSpan total, TimeSpan inner, StageClock c)
    {
        double Per(TimeSpan t) => t.TotalMilliseconds / count;
        var remainder = inner - c.BlobStage - c.DbRead - c.BlobCommit - c.DbSave;
        return new Split(Per(total), Per(total - inner), Per(c.BlobStage), Per(c.DbRead), c.ReadCommands / (double)count, Per(remainder),
            Per(c.BlobCommit), Per(c.DbSave), Per(c.DbCommit), Per(c.PairedRaw), Per(c.BeforeUploader), Per(c.ReadsBeforeUploader),
            Per(c.InUploader), Per(c.AfterUploader), Per(c.FormRead), Per(c.BlobFlush), c.Samples.ToList());
    }

    public string Table()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| ms per document (mean of one instrumented pass) | HTTP API | In-process |");
        sb.AppendLine("|---|---:|---:|");
        Row("**Whole upload**, as timed by the caller", Http.Total, InProcess.Total);
        Row("Raw detect + extract of the same file, run next to each upload (before it or after it, alternately)", Http.PairedRaw, InProcess.PairedRaw);
        sb.AppendLine($"| **Upload overhead** (whole − raw), ratio | **{Http.Overhead:0.0}** ({Http.Ratio:0.00}x) | **{InProcess.Overhead:0.0}** ({InProcess.Ratio:0.00}x) |");
        Row(kestrel ? "· outside the server: HTTP client + loopback + Kestrel ¹ / outside UploadAsync: scope + agreement load"
                    : "· outside the server: HTTP client + TestServer ¹ / outside UploadAsync: scope + agreement load", Http.Outside, InProcess.Outside);
        Row("· server, before FileUploader: middleware, routing, auth, agreement load, less query time ³", Http.PipelineCpu, InProcess.PipelineCpu);
        Row("· server, before FileUploader: multipart form read (ReadFormAsync) ³", Http.FormRead, InProcess.FormRead);
        Row($"· database reads ({Http.ReadCommands:0.#} / {InProcess.ReadCommands:0.#} queries per upload) ²", Http.Reads, InProcess.Reads);
        Row("· blob stage: stream to a tmp file while hashing", Http.Stage, InProcess.Stage);
        Row("· blob commit: rename (and the fsync, had the early flush not run)", Http.Commit, InProcess.Commit);
        Row("· SaveChanges: version, file, text, agreement rows", Http.Save, InProcess.Save);
        Row("&nbsp;&nbsp;of which the SQLite COMMIT", Http.SqliteCommit, InProcess.SqliteCommit);
        Row("· inside FileUploader, untimed, beyond the raw extraction ⁴", Http.UploaderRest, InProcess.UploaderRest);
        Row("· server, after FileUploader: DTO, JSON response", Http.After, InProcess.After);
        sb.AppendLine($"| *Blob fsync (FlushAsync), started before extraction and overlapping it: not part of the sum* | *{Http.Flush:0.0}* | *{InProcess.Flush:0.0}* |");
        sb.AppendLine();
        sb.AppendLine("Per-upload spread, ms (median / 95th percentile / max):");
        sb.AppendLine();
        sb.AppendLine("| | HTTP API | In-process |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine($"| Blob fsync (overlapped) | {Http.Spread(x => x.Flush)} | {InProcess.Spread(x => x.Flush)} |");
        sb.AppendLine($"| Blob commit | {Http.Spread(x => x.Commit)} | {InProcess.Spread(x => x.Commit)} |");
        sb.AppendLine($"| SaveChanges | {Http.Spread(x => x.Save)} | {InProcess.Spread(x => x.Save)} |");
        sb.AppendLine($"| SQLite COMMIT | {Http.Spread(x => x.SqliteCommit)} | {InProcess.Spread(x => x.SqliteCommit)} |");
        sb.AppendLine();
        sb.Append("¹ HTTP: round trip minus the server-side request time (first middleware to response). " +
                  "² HTTP: token, account and membership look-ups, the agreement load, the text dedup check; in-process: the dedup check only (its agreement load is outside UploadAsync). " +
                  "³ From the first middleware to FileUploader's first step, split at the last query before it (the agreement load): what follows that query is " +
                  "materialising its rows and ReadFormAsync, which buffers a multipart file over 64 KB to a temporary file. " +
                  "⁴ FileUploader's span (staging start to SaveChanges end) minus its timed stages and minus the raw extraction of the same file: " +
                  "detect + extract running slower than raw, EF change tracking, noise; negative when the paired raw run happened to be the slower one. " +
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

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

sealed record MachineInfo(int Cores, string Cpu, string Memory, string Runtime, string Os, string Gc, string TempStorage, bool Optimized, string LoadAverage)
{
    public string Summary => $"{Cores} cores, {Cpu}, {Memory} RAM, {Runtime}, {Gc} GC, temp on {TempStorage}, load average {LoadAverage}";

    public static string ReadLoadAverage() => ReadLines("/proc/loadavg").FirstOrDefault()?.Split(' ')[0] ?? "?";

    /// <summary>This process's nice value (the benchmarks ask to be run with nice -n -5 on a shared machine).</summary>
    public static string ReadNice()
    {
        // /proc/self/stat: the fields after the command name's closing bracket start at field 3; nice is field 19.
        var stat = ReadLines("/proc/self/stat").FirstOrDefault();
        var fields = stat?[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields is { Length: > 16 } ? fields[16] : "?";
    }

    /// <summary>Collects the machine and prints a benchmark's opening lines: what it runs, on what, and a warning when not a Release build.</summary>
    public static MachineInfo Announce(string heading)
    {
        var machine = Collect();
        Console.WriteLine(heading);
        Console.WriteLine($"Machine: {machine.Summary}, nice {ReadNice()}");
        if (!machine.Optimized) Console.WriteLine("WARNING: this is not an optimised (Release) build; figures are not representative.");
        return machine;
    }

    public static MachineInfo Collect()
    {
        var cpu = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                  ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKb = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var memory = long.TryParse(memKb, out var kb) ? $"{kb / 1024.0 / 1024.0:0.0} GiB" : "unknown";
        var gc = GCSettings.IsServerGC ? "server" : "workstation";
        return new MachineInfo(Environment.ProcessorCount, cpu, memory, RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription, gc, TempStorageDescription(), IsOptimized(typeof(Report).Assembly) && IsOptimized(typeof(Concordat.Agreements.FileUploader).Assembly),
            ReadLoadAverage());
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

    /// <summary>
    /// Replaces one mode's section of a results file (what lies between its two markers), keeping the other modes'
    /// sections; a section not yet in the file is added at its end.
    /// </summary>
    public static async Task WriteSectionAsync(string path, string mode, string content)
    {
        string begin = $"<!-- bench:{mode} -->", end = $"<!-- /bench:{mode} -->";
        var block = $"{begin}\n{content.Trim()}\n{end}\n";
        var text = File.Exists(path) ? (await File.ReadAllTextAsync(path)).Replace("\r\n", "\n") : "";
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf(end, from, StringComparison.Ordinal);
        if (from >= 0 && to >= 0)
        {
            var rest = text[(to + end.Length)..].TrimStart('\n');
            text = text[..from] + block + (rest.Length > 0 ? "\n" + rest : "");
        }
        else text = text.Trim().Length == 0 ? block : text.TrimEnd() + "\n\n" + block;
        await File.WriteAllTextAsync(path, text);
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
        sb.AppendLine($"- Load average (1 min) at the start and end of the run: {machine.LoadAverage} / {MachineInfo.ReadLoadAverage()} " +
                      "(anything well above 0 means other work shared the cores)");
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
                      $"Token from `concordat token create` for the configured administrator (administrators need two-step sign-in to get one with a password), one draft agreement per {IngestBench.FilesPerAgreement} files via `POST /api/v1/agreements`, " +
                      "then every file `POST /api/v1/agreements/{id}/documents` as multipart (`kind`, `file` streamed from disk), one at a time. Includes HTTP, multipart parsing, auth, hashing, blob write + fsync + rename, the SQLite insert and the JSON response.");
        sb.AppendLine("- **In-process**: the same app and settings; per file a fresh DI scope, the agreement loaded as the upload endpoint loads it (`RegisterQuery.FindForUploadAsync`, as the administrator), " +
                      "then `FileUploader.UploadAsync` with a `FileStream` of the file. No HTTP, no authentication, no multipart.");
        sb.AppendLine($"- Every upload pass starts a fresh app (so no upload deduplicates against an earlier pass) and warms up on {report.Corpus.WarmUp.Count} extra documents before the clock starts; the raw path warms up on the same {report.Corpus.WarmUp.Count}, {IngestBench.WarmUpRounds} times, before the first repetition. " +
                      "Each pass is checked afterwards: one version, one text row and one blob per document. Repetitions alternate the order of the paths (raw, HTTP, in-process; then the reverse); the heap is collected before each timed pass. " +
                      "App logging is at Warning (the per-upload Information line is off); data-protection keys go to the app's temporary folder; server GC, as the web app runs by default.");
        sb.AppendLine("- The stage split comes from one further, instrumented pass of each upload path: the app's `IBlobStore` wrapped with timers, EF Core command / SaveChanges / transaction interceptors, " +
                      "and a first middleware timing the server side of each request. Next to each upload (alternately before and after it) that pass also times a raw detect + extract of the same file, so overhead = upload − raw is measured under the same conditions. " +
                      "FileUploader and the endpoints are unmodified; the time between the stages is attributed by timestamps (FileUploader's first step is staging, its last SaveChanges).");
        return sb.ToString();
    }

    internal static string Commit()
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
