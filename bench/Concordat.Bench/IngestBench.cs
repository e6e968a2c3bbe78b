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

    readonly DocumentOptions _documentOptions = BenchApp.DocumentOptions(Path.Combine(Path.GetTempPath(), "unused"));

    public async Task<Report> RunAsync()
    {
        var detector = new FileTypeDetector(_documentOptions);
        var extractor = new TextExtractor(Options.Create(_documentOptions));

        Console.WriteLine();
        Console.WriteLine("Warm-up: raw extraction of the warm-up files (upload passes warm up inside each fresh app)");
        await RawAsync(corpus.WarmUp, detector, extractor, rep: 0, checkPages: false);

        var runs = new List<PassResult>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            BenchPath[] order = rep % 2 == 1 ? [BenchPath.Raw, BenchPath.Http, BenchPath.InProcess] : [BenchPath.InProcess, BenchPath.Http, BenchPath.Raw];
            foreach (var path in order)
            {
                Settle();
                var result = path switch
                {
                    BenchPath.Raw => await RawAsync(corpus.Files, detector, extractor, rep, checkPages: true),
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
            profile = new ProfileResult(corpus.Files.Count, inProcess.Elapsed, inProcessClock, http.Elapsed, httpClock,
                runs.Where(r => r.Path == BenchPath.Raw).ToList(), options.Kestrel);
        }

        return new Report(corpus, runs, profile, options.Kestrel);
    }

    /// <summary>FileTypeDetector.Detect + TextExtractor.ExtractAsync per file, straight from the generated folder.</summary>
    async Task<PassResult> RawAsync(IReadOnlyList<BenchFile> files, FileTypeDetector detector, TextExtractor extractor, int rep, bool checkPages)
    {
        long detectTicks = 0, extractTicks = 0;
        var total = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var t0 = Stopwatch.GetTimestamp();
            var type = detector.Detect(file.Path, file.Name);
            var t1 = Stopwatch.GetTimestamp();
            var text = await extractor.ExtractAsync(file.Path, type);
            var t2 = Stopwatch.GetTimestamp();
            detectTicks += t1 - t0;
            extractTicks += t2 - t1;

            if (type.Kind != file.Format || !text.HasText)
                throw new InvalidOperationException($"{file.Name}: detected {type.Kind}, text {(text.HasText ? "found" : "missing")}");
            if (checkPages && file.Format == FileFormat.Pdf && text.PageCount != file.PdfEquivalentPages)
                throw new InvalidOperationException($"{file.Name}: extraction counted {text.PageCount} pages, generation {file.PdfEquivalentPages}");
        }
        total.Stop();
        return new PassResult(BenchPath.Raw, rep, total.Elapsed,
            TimeSpan.FromSeconds(detectTicks / (double)Stopwatch.Frequency), TimeSpan.FromSeconds(extractTicks / (double)Stopwatch.Frequency));
    }

    /// <summary>POST /api/v1/agreements/{id}/documents for every file, one at a time, with a bearer token.</summary>
    async Task<PassResult> HttpAsync(int rep, StageClock? clock)
    {
        await using var app = new BenchApp(options.Kestrel, clock);
        using var api = await app.AdminApiAsync();
        var agreements = await BenchApp.CreateAgreementsAsync(api, 1 + AgreementsFor(corpus.Files.Count));
        foreach (var file in corpus.WarmUp) await BenchApp.UploadAsync(api, agreements[0], file);

        Settle();
        clock?.Reset();
        if (clock is not null) clock.Recording = true;
        var timer = Stopwatch.StartNew();
        for (var i = 0; i < corpus.Files.Count; i++)
            await BenchApp.UploadAsync(api, agreements[1 + i / FilesPerAgreement], corpus.Files[i]);
        timer.Stop();
        if (clock is not null) clock.Recording = false;

        await app.VerifyAsync(corpus.WarmUp.Count + corpus.Files.Count);
        if (clock is not null) SqliteSettings = await app.SqliteSettingsAsync();
        return new PassResult(BenchPath.Http, rep, timer.Elapsed);
    }

    /// <summary>FileUploader.UploadAsync resolved from a fresh scope per file, as a request would.</summary>
    async Task<PassResult> InProcessAsync(int rep, StageClock? clock)
    {
        await using var app = new BenchApp(kestrel: false, clock);
        var agreements = await app.CreateAgreementsInProcessAsync(1 + AgreementsFor(corpus.Files.Count));
        foreach (var file in corpus.WarmUp) await app.UploadInProcessAsync(agreements[0], file);

        Settle();
        clock?.Reset(); // records only inside UploadAsync (BeginUpload/EndUpload), not the agreement load around it
        var timer = Stopwatch.StartNew();
        for (var i = 0; i < corpus.Files.Count; i++)
            await app.UploadInProcessAsync(agreements[1 + i / FilesPerAgreement], corpus.Files[i], clock);
        timer.Stop();

        await app.VerifyAsync(corpus.WarmUp.Count + corpus.Files.Count);
        if (clock is not null) SqliteSettings = await app.SqliteSettingsAsync();
        return new PassResult(BenchPath.InProcess, rep, timer.Elapsed);
    }

    public static (string Synchronous, string JournalMode)? SqliteSettings { get; private set; }

    static int AgreementsFor(int files) => (files + FilesPerAgreement - 1) / FilesPerAgreement;

    /// <summary>Start each timed pass from a collected heap, so one pass's garbage is not billed to the next.</summary>
    static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
