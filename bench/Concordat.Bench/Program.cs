// Five benchmarks in one executable. With no mode, or "ingest": the ingest benchmark below. With "search": the search
// benchmark (SearchBench.cs), which writes bench/SEARCH-RESULTS.md. With "import" (ImportBench.cs), "export"
// (ExportBench.cs) and "drafting" (DraftingBench.cs): the import, export and drafting benchmarks, each of which writes its own section of bench/RESULTS.md (the
// ingest benchmark writes its section, between markers, and keeps the others):
//
//   dotnet run -c Release --project bench/Concordat.Bench -- search --agreements 2000
//   dotnet run -c Release --project bench/Concordat.Bench -- import --count 1000
//   dotnet run -c Release --project bench/Concordat.Bench -- export --sizes 10000,100000
//   dotnet run -c Release --project bench/Concordat.Bench -- drafting --reps 300
//   dotnet run -c Release --project bench/Concordat.Bench -- backcatalogue --source FOLDER   (a real published register: BackCatalogueBench.cs)
//   dotnet run -c Release --project bench/Concordat.Bench -- scale --agreements N --nodes K   (app nodes as processes over one database: ScaleBench.cs)
//
// Ingest benchmark: uploads a folder of generated agreements through the real upload path and compares it with raw
// text extraction of the same files in the same run. See bench/RESULTS.md for the latest figures.
//
//   dotnet run -c Release --project bench/Concordat.Bench -- --count 120
//
// Options: --count N (documents, default 120), --reps N (default 3), --testserver (in-memory TestServer instead of
// Kestrel on loopback for the HTTP path), --no-profile (skip the instrumented stage breakdown), --results PATH
// (default bench/RESULTS.md), --no-write (print only), --sqlite-synchronous MODE (what-if: PRAGMA synchronous on every
// app connection; such a run writes results only with an explicit --results PATH).

using System.Diagnostics;
using System.Globalization;

namespace Concordat.Bench;

// Not top-level statements: those would declare a second global Program and hide the app's Program from
// WebApplicationFactory<Program>.
static class BenchMain
{
    static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        if (args is ["search", .. var searchArgs]) return await SearchBench.RunAsync(searchArgs);
        if (args is ["import", .. var importArgs]) return await ImportBench.RunAsync(importArgs);
        if (args is ["export", .. var exportArgs]) return await ExportBench.RunAsync(exportArgs);
        if (args is ["drafting", .. var draftingArgs]) return await DraftingBench.RunAsync(draftingArgs);
        if (args is ["backcatalogue", .. var catalogueArgs]) return await BackCatalogueBench.RunAsync(catalogueArgs);
        if (args is ["scale", .. var scaleArgs]) return await ScaleBench.RunAsync(scaleArgs);
        if (args is ["ingest", .. var ingestArgs]) args = ingestArgs;

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Concordat.Bench -- [--count N] [--reps N] [--testserver] [--no-profile] [--results PATH] [--no-write]");
            return 2;
        }

        // WebApplicationFactory finds the app's content root through MvcTestingAppManifest.json in the working folder,
        // which is the build output (as under a test runner), not where `dotnet run` was started.
        var resultsPath = options.WriteResults ? options.ResultsPath ?? ResultsFile.DefaultPath() : null;
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);

        var started = DateTimeOffset.Now;
        var machine = MachineInfo.Collect();
        Console.WriteLine($"Concordat ingest benchmark: {options.Count} documents, {options.Reps} repetitions, HTTP via {(options.Kestrel ? "Kestrel (loopback)" : "TestServer (in-memory)")}");
        Console.WriteLine($"Machine: {machine.Summary}");
        if (options.SqliteSynchronous is { } whatIf) Console.WriteLine($"WHAT-IF: every app connection runs PRAGMA synchronous={whatIf} (overriding the app's own setting).");
        if (!machine.Optimized) Console.WriteLine("WARNING: this is not an optimised (Release) build; figures are not representative.");

        var generation = Stopwatch.StartNew();
        using var corpus = Corpus.Generate(options.Count);
        generation.Stop();
        Console.WriteLine();
        Console.WriteLine($"Generated {corpus.Files.Count} documents in {generation.Elapsed.TotalSeconds:0.0} s into {corpus.Folder}");
        Console.WriteLine($"  {corpus.Files.Count(f => f.Format == Concordat.Documents.FileFormat.Pdf)} PDF + {corpus.Files.Count(f => f.Format == Concordat.Documents.FileFormat.Docx)} DOCX, " +
                          $"{Units.MB(corpus.TotalBytes):0.00} MB (PDF {Units.MB(corpus.Files.Where(f => f.Format == Concordat.Documents.FileFormat.Pdf).Sum(f => f.Bytes)):0.00} MB, " +
                          $"DOCX {Units.MB(corpus.Files.Where(f => f.Format == Concordat.Documents.FileFormat.Docx).Sum(f => f.Bytes)):0.00} MB)");
        Console.WriteLine($"  pages: {corpus.TotalPages} = {corpus.PdfPages} PDF pages + {corpus.DocxEstimatedPages} DOCX pages estimated " +
                          "(DOCX has no page count; estimated as the pages of the same content written as PDF)");

        var bench = new IngestBench(options, corpus);
        var report = await bench.RunAsync();

        Console.WriteLine();
        Console.WriteLine(report.Table());
        if (report.Profile is { } profile)
        {
            Console.WriteLine();
            Console.WriteLine(profile.Table());
        }
        Console.WriteLine();
        Console.WriteLine(report.Interpretation());

        if (resultsPath is not null)
        {
            await ResultsFile.WriteSectionAsync(resultsPath, "ingest", ResultsFile.Render(report, options, machine, started));
            Console.WriteLine();
            Console.WriteLine($"Wrote {resultsPath}");
        }
        return 0;
    }
}

/// <param name="SqliteSynchronous">What-if experiment: PRAGMA synchronous set on every app connection, after (so over) the app's own pragmas.</param>
sealed record BenchOptions(int Count, int Reps, bool Kestrel, bool Profile, bool WriteResults, string? ResultsPath, string[] Args, string? SqliteSynchronous = null)
{
    public static BenchOptions Parse(string[] args)
    {
        int count = 120, reps = 3;
        bool kestrel = true, profile = true, write = true;
        string? results = null, synchronous = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--count":
                    count = int.TryParse(Value(), out var c) && c >= 2 ? c : throw new ArgumentException("--count must be a whole number of at least 2");
                    break;
                case "--reps":
                    reps = int.TryParse(Value(), out var r) && r >= 1 ? r : throw new ArgumentException("--reps must be at least 1");
                    break;
                case "--testserver": kestrel = false; break;
                case "--no-profile": profile = false; break;
                case "--no-write": write = false; break;
                case "--results": results = Path.GetFullPath(Value()); break;
                case "--sqlite-synchronous":
                    synchronous = Value().ToUpperInvariant() is var mode && mode is "OFF" or "NORMAL" or "FULL" or "EXTRA"
                        ? mode : throw new ArgumentException("--sqlite-synchronous takes OFF, NORMAL, FULL or EXTRA");
                    break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }
        }
        // An experiment is not the app's figure: it only overwrites RESULTS.md when a results path is given.
        if (synchronous is not null && results is null) write = false;
        return new BenchOptions(count, reps, kestrel, profile, write, results, args, synchronous);
    }

    public string Command => "dotnet run -c Release --project bench/Concordat.Bench -- " +
                             (Args.Contains("--count") ? string.Join(' ', Args) : string.Join(' ', new[] { "--count", Count.ToString() }.Concat(Args)));
}

static class Units
{
    public static double MB(long bytes) => bytes / (1024.0 * 1024.0);
}
