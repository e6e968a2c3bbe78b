using System.Diagnostics;
using Concordat.Documents;
using Microsoft.Extensions.Options;

namespace Concordat.Bench;

enum BenchPath { Raw, Http, InProcess }

/// <summary>One timed pass over every document.</summary>
sealed record PassResult(BenchPath Path, int Rep, TimeSpan Elapsed, TimeSpan Detect = default, TimeSpan Extract = default);

/// <summary>
/// Runs the three paths over the same files: raw extraction (detector + extractor, nothing else), upload through the
/// HTTP API, and upload through FileUploader in-process. Each upload pass boots a fresh app (empty database and blob
/// folder, so no upload is ever a duplicate), creates one agreement per ten files, warms up on four extra files, and
/// only then starts the clock. Repetitions alternate the order of the paths.
/// </summary>
sealed class IngestBench(BenchOptions options, Corpus corpus)
{
    public const int FilesPerAgreement = 10;
    public const int WarmUpRounds = 3;

    public async Task<Report> RunAsync()
    {
        Console.WriteLine();
        Console.WriteLine($"Warm-up: raw extraction of the {corpus.WarmUp.Count} warm-up files, {WarmUpRounds} rounds (each upload pass warms up on them inside its fresh app)");
        for (var round = 0; round < WarmUpRounds; round++) await RawAsync(corpus.WarmUp, rep: 0, checkPages: false);
        await Task.Delay(500); // let the tiered JIT's background compilations land before the first timed pass

        var runs = new List<PassResult>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            BenchPath[] order = rep % 2 == 1 ? [BenchPath.Raw, BenchPath.Http, BenchPath.InProcess] : [BenchPath.InProcess, BenchPath.Http, BenchPath.Raw];
            foreach (var path in order)
            {
                Settle();
                var result = path switch
                {
                    BenchPath.Raw => await RawAsync(corpus.Files, rep, checkPages: true),
                    BenchPath.Http => await HttpAsync(rep, clock: null),
                    _ => await InProcessAsync(rep, clock: null),
                };
                runs.Add(result);
                Console.WriteLine($"  rep {rep} {Report.Label(path, options.Kestrel),-42} {result.Elapsed.TotalSeconds,8:0.000} s");
            }
        }

        ProfileResult? profile = null;
        if (options.Profile)
        {
            Console.WriteLine();
            Console.WriteLine("Profile: one instrumented pass of each upload path (blob store wrapped, EF Core intercepted)");
            Settle();
            var inProcessClock = new StageClock();
            var inProcess = await InProcessAsync(0, inProcessClock);
            Console.WriteLine($"  in-process instrumented {inProcess.Elapsed.TotalSeconds:0.000} s");
            Settle();
            var httpClock = new StageClock();
            var http = await HttpAsync(0, httpClock);
            Console.WriteLine($"  HTTP instrumented       {http.Elapsed.TotalSeconds:0.000} s");
            profile = new ProfileResult(corpus.Files.Count, inProcess.Elapsed, inProcessClock, http.Elapsed, httpClock, options.Kestrel);
        }

        return new Report(corpus, runs, profile, options.Kestrel);
    }

    static async Task<PassResult> RawAsync(IReadOnlyList<BenchFile> files, int rep, bool checkPages)
    {
        var (elapsed, detect, extract) = await RawExtraction.RunAsync(files, checkPages);
        return new PassResult(BenchPath.Raw, rep, elapsed, detect, extract);
    }

    /// <summary>POST /api/v1/agreements/{id}/documents for every file, one at a time, with a bearer token.</summary>
    async Task<PassResult> HttpAsync(int rep, StageClock? clock)
    {
        await using var app = new BenchApp(options.Kestrel, clock, options.SqliteSynchronous);
        using var api = await app.AdminApiAsync();
        var agreements = await BenchApp.CreateAgreementsAsync(api, 1 + AgreementsFor(corpus.Files.Count));
        foreach (var file in corpus.WarmUp) await BenchApp.UploadAsync(api, agreements[0], file);

        Settle();
        clock?.Reset();
        if (clock is not null) clock.Recording = true;
        var elapsed = await TimedLoopAsync(clock, (file, i) => BenchApp.UploadAsync(api, agreements[1 + i / FilesPerAgreement], file));
        if (clock is not null) clock.Recording = false;

        await app.VerifyAsync(corpus.WarmUp.Count + corpus.Files.Count);
        if (clock is not null) SqliteSettings = await app.SqliteSettingsAsync();
        return new PassResult(BenchPath.Http, rep, elapsed);
    }

    /// <summary>FileUploader.UploadAsync resolved from a fresh scope per file, as a request would.</summary>
    async Task<PassResult> InProcessAsync(int rep, StageClock? clock)
    {
        await using var app = new BenchApp(kestrel: false, clock, options.SqliteSynchronous);
        var agreements = await app.CreateAgreementsInProcessAsync(1 + AgreementsFor(corpus.Files.Count));
        foreach (var file in corpus.WarmUp) await app.UploadInProcessAsync(agreements[0], file);

        Settle();
        clock?.Reset(); // records only inside UploadAsync (BeginUpload/EndUpload), not the agreement load around it
        var elapsed = await TimedLoopAsync(clock, (file, i) => app.UploadInProcessAsync(agreements[1 + i / FilesPerAgreement], file, clock));

        await app.VerifyAsync(corpus.WarmUp.Count + corpus.Files.Count);
        if (clock is not null) SqliteSettings = await app.SqliteSettingsAsync();
        return new PassResult(BenchPath.InProcess, rep, elapsed);
    }

    /// <summary>
    /// Uploads every file in order and returns the time taken. Instrumented, each upload is paired with a raw
    /// detect + extract of the same file (timed into <see cref="StageClock.PairedRaw"/>), so the profile compares upload
    /// and raw under the same conditions; the pair runs raw first for even files and upload first for odd ones, so
    /// neither side always finds the file and the code warm. The time returned then is the sum of the uploads alone.
    /// </summary>
    async Task<TimeSpan> TimedLoopAsync(StageClock? clock, Func<BenchFile, int, Task> upload)
    {
        var uploads = TimeSpan.Zero;
        var timer = Stopwatch.StartNew();
        for (var i = 0; i < corpus.Files.Count; i++)
        {
            if (clock is not null && i % 2 == 0) await PairedRawAsync(corpus.Files[i], clock);
            var t0 = Stopwatch.GetTimestamp();
            await upload(corpus.Files[i], i);
            uploads += Stopwatch.GetElapsedTime(t0);
            if (clock is not null && i % 2 == 1) await PairedRawAsync(corpus.Files[i], clock);
        }
        timer.Stop();
        return clock is null ? timer.Elapsed : uploads;
    }

    static async Task PairedRawAsync(BenchFile file, StageClock clock)
    {
        var start = Stopwatch.GetTimestamp();
        await RawExtraction.ExtractAsync(file);
        clock.PairedRaw += Stopwatch.GetElapsedTime(start);
    }

    public static (string Synchronous, string JournalMode)? SqliteSettings { get; private set; }

    static int AgreementsFor(int files) => (files + FilesPerAgreement - 1) / FilesPerAgreement;

    /// <summary>Start each timed pass from a collected heap, so one pass's garbage is not billed to the next.</summary>
    internal static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

/// <summary>
/// The raw pass the upload and import paths are compared with: FileTypeDetector.Detect + TextExtractor.ExtractAsync per
/// file, straight from the generated folder, nothing else (no database, no blob store).
/// </summary>
static class RawExtraction
{
    static readonly DocumentOptions DocumentOptions = BenchApp.DocumentOptions(Path.Combine(Path.GetTempPath(), "unused"));
    static readonly FileTypeDetector Detector = new(DocumentOptions);
    static readonly TextExtractor Extractor = new(Options.Create(DocumentOptions));

    public static async Task<(TimeSpan Elapsed, TimeSpan Detect, TimeSpan Extract)> RunAsync(IReadOnlyList<BenchFile> files, bool checkPages)
    {
        long detectTicks = 0, extractTicks = 0;
        var total = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var t0 = Stopwatch.GetTimestamp();
            var type = Detector.Detect(file.Path, file.Name);
            var t1 = Stopwatch.GetTimestamp();
            var text = await Extractor.ExtractAsync(file.Path, type);
            var t2 = Stopwatch.GetTimestamp();
            detectTicks += t1 - t0;
            extractTicks += t2 - t1;

            if (type.Kind != file.Format || !text.HasText)
                throw new InvalidOperationException($"{file.Name}: detected {type.Kind}, text {(text.HasText ? "found" : "missing")}");
            if (checkPages && file.Format == FileFormat.Pdf && text.PageCount != file.PdfEquivalentPages)
                throw new InvalidOperationException($"{file.Name}: extraction counted {text.PageCount} pages, generation {file.PdfEquivalentPages}");
        }
        total.Stop();
        return (total.Elapsed, TimeSpan.FromSeconds(detectTicks / (double)Stopwatch.Frequency), TimeSpan.FromSeconds(extractTicks / (double)Stopwatch.Frequency));
    }

    public static async Task ExtractAsync(BenchFile file) => await Extractor.ExtractAsync(file.Path, Detector.Detect(file.Path, file.Name));
}
