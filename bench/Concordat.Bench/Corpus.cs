using Concordat.Demo;
using Concordat.Documents;
using UglyToad.PdfPig;

namespace Concordat.Bench;

/// <summary>One generated agreement document on disk.</summary>
/// <param name="TargetPages">What was asked of <see cref="DemoDocuments.ForAgreement"/>.</param>
/// <param name="PdfEquivalentPages">
/// Pages of the same content written as a PDF by <see cref="AgreementDocumentWriter.Pdf"/>. For a PDF this is its
/// own page count; for a DOCX it is an estimate (a DOCX has no pages until a word processor lays it out, and the
/// generated ones record no page count).
/// </param>
/// <param name="Facts">What the document says about itself, for a manifest that describes it (the import benchmark).</param>
sealed record BenchFile(string Path, string Name, FileFormat Format, int TargetPages, int PdfEquivalentPages, long Bytes, DocumentFacts Facts);

/// <summary>The agreement a generated document is: its reference, title, lead borough, purpose, parties (name as the document writes it, role) and powers.</summary>
sealed record DocumentFacts(string Reference, string Title, string Borough, string Purpose, IReadOnlyList<(string Name, string Role)> Parties, string[] Powers);

/// <summary>
/// A folder of generated agreements: alternately PDF and DOCX, page targets spread evenly over 5-40 so that both
/// formats get the same spread, order shuffled with a fixed seed. Every document names its own reference, so no two
/// files share a hash (a duplicate would skip the blob fsync and the text insert and flatter the upload path).
/// </summary>
sealed class Corpus : IDisposable
{
    public const int Seed = 20260;
    public const int MinPages = 5, MaxPages = 40;

    static readonly string[] Boroughs =
        ["Camden", "Hackney", "Lambeth", "Southwark", "Islington", "Newham", "Barnet", "Croydon", "Ealing", "Enfield", "Haringey", "Lewisham"];

    static readonly (string Title, string Purpose, string[] Powers)[] Scenarios =
    [
        ("Home fire safety visit referrals", "Adult social care in {b} refers residents at higher risk of fire to London Fire Brigade for a home fire safety visit.",
            ["Fire and Rescue Services Act 2004 s6", "Care Act 2014 s1 and s6"]),
        ("Multi-agency safeguarding hub information sharing", "Partners in the {b} safeguarding hub share what they know about a child when a concern is raised.",
            ["Children Act 1989 s17 and s47", "Children Act 2004 s10 and s11"]),
        ("Hoarding and self-neglect panel", "Members of the {b} hoarding panel share information about residents whose hoarding puts them at risk.",
            ["Care Act 2014 s42"]),
        ("Multi-agency risk assessment conference", "Agencies attending the {b} MARAC share information about victims of domestic abuse at high risk of serious harm.",
            ["Crime and Disorder Act 1998 s115", "Domestic Abuse Act 2021"]),
        ("Anti-social behaviour case management", "The council, the police and social landlords in {b} share information about anti-social behaviour cases.",
            ["Anti-social Behaviour, Crime and Policing Act 2014"]),
        ("Duty to refer people at risk of homelessness", "Hospitals refer people at risk of homelessness in {b}, with their consent, to the housing options service.",
            ["Housing Act 1996 s213B"]),
        ("Falls response and prevention", "London Ambulance Service tells {b} council about older people it attended after a fall and did not take to hospital.",
            ["Care Act 2014 s2"]),
    ];

    static readonly string[] Partners =
        ["London Fire Brigade", "Metropolitan Police Service", "London Ambulance Service", "NHS North Central London ICB", "Peabody", "Refuge"];

    static readonly string[] Roles = ["Joint controller", "Discloser", "Recipient", "Processor"];

    public string Folder { get; }
    public IReadOnlyList<BenchFile> Files { get; }
    public IReadOnlyList<BenchFile> WarmUp { get; }

    Corpus(string folder, IReadOnlyList<BenchFile> files, IReadOnlyList<BenchFile> warmUp)
    {
        Folder = folder;
        Files = files;
        WarmUp = warmUp;
    }

    public long TotalBytes => Files.Sum(f => f.Bytes);
    public int PdfPages => Files.Where(f => f.Format == FileFormat.Pdf).Sum(f => f.PdfEquivalentPages);
    public int DocxEstimatedPages => Files.Where(f => f.Format == FileFormat.Docx).Sum(f => f.PdfEquivalentPages);
    public int TotalPages => PdfPages + DocxEstimatedPages;

    public static Corpus Generate(int count)
    {
        var folder = Directory.CreateTempSubdirectory("concordat-bench-docs-").FullName;
        try
        {
            var random = new Random(Seed);
            var files = new List<BenchFile>(count);
            for (var i = 0; i < count; i++)
            {
                // Pairs (PDF, DOCX) walk up the range together, so each format sees the same even spread.
                var pages = count == 1 ? MinPages : MinPages + (int)Math.Round((double)i * (MaxPages - MinPages) / (count - 1));
                var format = i % 2 == 0 ? FileFormat.Pdf : FileFormat.Docx;
                files.Add(Write(folder, $"BENCH-{i + 1:000}", format, pages, random));
            }

            // Upload order mixed, so every agreement gets a spread of sizes.
            var shuffled = files.ToArray();
            random.Shuffle(shuffled);

            var warmUp = new List<BenchFile>
            {
                Write(folder, "WARM-1", FileFormat.Pdf, 5, random), Write(folder, "WARM-2", FileFormat.Docx, 5, random),
                Write(folder, "WARM-3", FileFormat.Pdf, 12, random), Write(folder, "WARM-4", FileFormat.Docx, 12, random),
            };
            return new Corpus(folder, shuffled, warmUp);
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    static BenchFile Write(string folder, string reference, FileFormat format, int pages, Random random)
    {
        var (title, purpose, powers) = Scenarios[random.Next(Scenarios.Length)];
        var borough = Boroughs[random.Next(Boroughs.Length)];
        var parties = new List<(string, string)> { ($"London Borough of {borough}", Roles[0]) };
        foreach (var partner in Partners.OrderBy(_ => random.Next()).Take(1 + random.Next(3)))
            parties.Add((partner, Roles[random.Next(Roles.Length)]));

        var facts = new DocumentFacts(reference, $"{title}: {borough}", borough, purpose.Replace("{b}", borough), parties, powers);
        var content = DemoDocuments.ForAgreement(facts.Title, reference, facts.Purpose, parties, powers, pages);
        var pdf = AgreementDocumentWriter.Pdf(content);
        int pdfPages;
        using (var document = PdfDocument.Open(pdf)) pdfPages = document.NumberOfPages;

        var bytes = format == FileFormat.Pdf ? pdf : AgreementDocumentWriter.Docx(content, parties);
        var name = $"{reference} {title}.{(format == FileFormat.Pdf ? "pdf" : "docx")}";
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return new BenchFile(path, name, format, pages, pdfPages, bytes.LongLength, facts);
    }

    public void Dispose() => TryDelete(Folder);

    internal static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: could not delete {folder}: {e.Message}");
        }
    }
}
